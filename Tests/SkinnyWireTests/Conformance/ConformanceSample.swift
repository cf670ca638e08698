import NIOCore
import SkinnyWire

/// One encoded message to put through tshark, an independent SCCP decoder, and the fields tshark must read back.
///
/// `expectedFields` maps a Wireshark field name (e.g. `skinny.DeviceName`, `skinny.lineInstance`) to the value it
/// must show: integers in decimal, strings as text, IPv4 addresses dotted. Where a field occurs more than once in a
/// frame, list the values comma-separated in order of occurrence.
struct ConformanceSample {
    enum Direction {
        /// Phone to call manager: sent from the phone's port to port 2000.
        case station
        /// Call manager to phone: sent from port 2000.
        case callManager
    }

    var name: String
    var direction: Direction
    var version: SkinnyProtocolVersion
    var frame: SkinnyFrame
    var expectedFields: [String: String]

    init(
        _ name: String, _ message: StationMessage, version: SkinnyProtocolVersion,
        expect expectedFields: [String: String] = [:]
    ) {
        self.name = name
        self.direction = .station
        self.version = version
        self.frame = message.frame(version: version)
        self.expectedFields = expectedFields
    }

    init(
        _ name: String, _ message: CallManagerMessage, version: SkinnyProtocolVersion,
        expect expectedFields: [String: String] = [:]
    ) {
        self.name = name
        self.direction = .callManager
        self.version = version
        self.frame = message.frame(version: version)
        self.expectedFields = expectedFields
    }
}

/// The protocol versions the conformance check runs at (issue 2).
let conformanceVersions: [SkinnyProtocolVersion] = [5, 11, 15, 17, 20, 22]
