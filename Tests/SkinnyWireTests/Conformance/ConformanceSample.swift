import NIOCore
import SkinnyWire

/// One encoded message to put through tshark, an independent SCCP decoder, and the fields tshark must read back.
///
/// `expectedFields` maps a Wireshark field name (e.g. `skinny.DeviceName`, `skinny.lineInstance`) to the value it
/// must show: integers in decimal, strings as text, IPv4 addresses dotted. Where a field occurs more than once in a
/// frame, list the values comma-separated in order of occurrence.
///
/// `tsharkDisagreement` marks a known disagreement (issue 2: "Where tshark and real phones disagree (reference §7),
/// follow real phones and list the exception in the test"). Such a sample must still be dissected as skinny with
/// its message id, header version and length, and must still read back every entry of `expectedFields` (at least
/// one is required); only tshark's malformed mark and its expert warnings and errors are tolerated. If tshark stops
/// flagging the frame, the check fails, so that the list of exceptions stays honest. The note says why Strowger's
/// layout is right and tshark's is not, with the evidence; keep the exceptions few.
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
    /// Why tshark flags this sample although Strowger's bytes are right; `nil` for the ordinary sample, which
    /// tshark must read cleanly.
    var tsharkDisagreement: String?

    init(
        _ name: String,
        _ message: StationMessage,
        version: SkinnyProtocolVersion,
        expect expectedFields: [String: String] = [:],
        tsharkDisagreement: String? = nil
    ) {
        self.name = name
        self.direction = .station
        self.version = version
        self.frame = message.frame(version: version)
        self.expectedFields = expectedFields
        self.tsharkDisagreement = tsharkDisagreement
    }

    init(
        _ name: String,
        _ message: CallManagerMessage,
        version: SkinnyProtocolVersion,
        expect expectedFields: [String: String] = [:],
        tsharkDisagreement: String? = nil
    ) {
        self.name = name
        self.direction = .callManager
        self.version = version
        self.frame = message.frame(version: version)
        self.expectedFields = expectedFields
        self.tsharkDisagreement = tsharkDisagreement
    }
}

/// The protocol versions the conformance check runs at (issue 2).
let conformanceVersions: [SkinnyProtocolVersion] = [5, 11, 15, 17, 20, 22]
