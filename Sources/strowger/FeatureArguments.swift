import ArgumentParser
import Foundation

/// `on` or `off`, for the switches of issue 12 (`line mwi`, `line dnd`, `settings set --transfer-on-hook`, …).
enum OnOff: String, ExpressibleByArgument, CaseIterable {
    case on, off

    var isOn: Bool { self == .on }

    init(_ isOn: Bool) { self = isOn ? .on : .off }
}

/// How a hunt group picks the next member (the admin API's `algorithm`).
enum HuntAlgorithmArgument: String, ExpressibleByArgument, CaseIterable {
    case topDown = "top-down"
    case circular
    case longestIdle = "longest-idle"
    case broadcast
}

/// What a call to a phone in do not disturb does (the admin API's `doNotDisturbMode`).
enum DoNotDisturbModeArgument: String, ExpressibleByArgument, CaseIterable {
    case ringerOff = "ringer-off"
    case reject
}

enum FeatureArguments {
    /// `4001,4002,4003` as numbers; spaces around them are ignored. An empty list or an empty entry is refused
    /// with a message that says so (the server checks that each is a line).
    static func members(_ text: String, option: String = "--members") throws -> [String] {
        let members = text.split(separator: ",", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        guard !members.contains(where: \.isEmpty) else {
            throw ValidationError(
                "\(option) must be directory numbers separated by commas, like 4001,4002, not '\(text)'"
            )
        }
        return members
    }

    /// `7000-7019` (or one number) checked for shape here; the server checks the rest.
    static func parkRange(_ text: String) throws -> String {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count),
            parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } })
        else {
            throw ValidationError("--range must be FIRST-LAST like 7000-7019, or one number, not '\(text)'")
        }
        return text
    }
}
