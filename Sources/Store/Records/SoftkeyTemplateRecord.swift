public import CallControl
import Foundation

/// A softkey template (CUCM's "Softkey Template"): which softkeys a phone shows in each call state. Table
/// `softkeyTemplate` (migration `addSoftkeyTemplates`), keyed by name without regard to case; a device names one in
/// ``DeviceRecord/softkeyTemplate`` (nil: the built-in ``SoftkeyTemplate/standardUser``).
///
/// The sets are stored as one JSON object, state name → key names in order (`{"onHook":["Redial","NewCall"]}`): a
/// template is always read and written whole, and its vocabulary is CallControl's (``SoftkeyTemplate/State``,
/// ``SoftkeyTemplate/Key``), checked on the way in and on the way out.
public struct SoftkeyTemplateRecord: Codable, Hashable, Sendable {
    /// 1–64 characters.
    public var name: String
    /// JSON: state → key names.
    public var sets: String

    public init(name: String, sets: String) {
        self.name = name
        self.sets = sets
    }

    /// The record of `template`.
    public init(_ template: SoftkeyTemplate) {
        var object: [String: [String]] = [:]
        for (state, keys) in template.sets {
            object[state.rawValue] = keys.map(\.rawValue)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let data = (try? encoder.encode(object)) ?? Data("{}".utf8)
        self.init(name: template.name, sets: String(decoding: data, as: UTF8.self))
    }

    /// The template, or a ``StoreError`` naming what in the stored JSON is not understood.
    public func template() throws(StoreError) -> SoftkeyTemplate {
        let object: [String: [String]]
        do {
            object = try JSONDecoder().decode([String: [String]].self, from: Data(self.sets.utf8))
        } catch {
            throw .invalidValue(
                "softkeyTemplate.sets",
                "softkey template \(Validation.quoted(self.name)): not a JSON object of key lists"
            )
        }
        return try Self.template(named: self.name, object)
    }

    /// A template from state names to key names, as the API and the CLI give them; every name is checked.
    public static func template(named name: String, _ object: [String: [String]]) throws(StoreError) -> SoftkeyTemplate
    {
        var sets: [SoftkeyTemplate.State: [SoftkeyTemplate.Key]] = [:]
        for (stateName, keyNames) in object {
            guard let state = SoftkeyTemplate.State(rawValue: stateName) else {
                throw .invalidValue(
                    "softkeyTemplate.sets",
                    "no call state \(Validation.quoted(stateName)); the states are "
                        + SoftkeyTemplate.State.allCases.map(\.rawValue).joined(separator: ", ")
                )
            }
            var keys: [SoftkeyTemplate.Key] = []
            for keyName in keyNames {
                guard let key = SoftkeyTemplate.Key(name: keyName) else {
                    throw .invalidValue(
                        "softkeyTemplate.sets.\(stateName)",
                        "no softkey \(Validation.quoted(keyName)); the softkeys are "
                            + SoftkeyTemplate.Key.allCases.map(\.rawValue).joined(separator: ", ")
                    )
                }
                keys.append(key)
            }
            sets[state] = keys
        }
        let template = SoftkeyTemplate(name: name, sets: sets)
        if let problem = template.problem {
            throw .invalidValue("softkeyTemplate.sets", problem)
        }
        return template
    }

    /// Checks every field; throws a ``StoreError`` naming the first bad one.
    public func validate() throws(StoreError) {
        try Validation.text(
            self.name,
            field: "softkeyTemplate.name",
            maximumLength: Validation.maximumNameLength,
            allowsEmpty: false
        )
        if self.name.caseInsensitiveCompare(SoftkeyTemplate.standardUser.name) == .orderedSame {
            throw .invalidValue("softkeyTemplate.name", "\"Standard User\" is the built-in template's name")
        }
        _ = try self.template()
    }
}

extension SoftkeyTemplateRecord: SQLRecord {
    static let tableName = "softkeyTemplate"
    static let primaryKey = "name"
}
