public import Foundation

extension AdminAPI {
    /// `GET /health` (no token needed).
    public struct Health: Codable, Hashable, Sendable {
        /// Always `ok` when the server answers.
        public var status: String

        public init(status: String = "ok") {
            self.status = status
        }
    }

    /// `GET /api/status`: the server at a glance.
    public struct Status: Codable, Hashable, Sendable {
        /// The running server's version (`strowger show version active`).
        public var version: String
        public var startedAt: Date
        public var registeredDevices: Int
        public var activeCalls: Int
        /// Configured devices, lines, users and route patterns.
        public var devices: Int
        public var lines: Int
        public var users: Int
        public var routePatterns: Int
        /// CDRs stored.
        public var callRecords: Int

        public init(
            version: String,
            startedAt: Date,
            registeredDevices: Int,
            activeCalls: Int,
            devices: Int,
            lines: Int,
            users: Int,
            routePatterns: Int,
            callRecords: Int
        ) {
            self.version = version
            self.startedAt = startedAt
            self.registeredDevices = registeredDevices
            self.activeCalls = activeCalls
            self.devices = devices
            self.lines = lines
            self.users = users
            self.routePatterns = routePatterns
            self.callRecords = callRecords
        }
    }

    /// A phone registered right now (`GET /api/status/devices`).
    public struct RegisteredDevice: Codable, Hashable, Sendable {
        public var name: String
        /// The phone's address and port as the server sees them, e.g. `192.0.2.10:51234`.
        public var address: String?
        /// The model the phone reported at registration (SCCP device type), e.g. `7960`.
        public var model: String?
        /// The SCCP protocol version negotiated with the phone.
        public var protocolVersion: Int?
        /// Its directory numbers in button order.
        public var lines: [String]
        /// Its call legs alive now.
        public var activeCalls: Int
        /// When this registration was accepted.
        public var registeredAt: Date?

        public init(
            name: String,
            address: String? = nil,
            model: String? = nil,
            protocolVersion: Int? = nil,
            lines: [String] = [],
            activeCalls: Int = 0,
            registeredAt: Date? = nil
        ) {
            self.name = name
            self.address = address
            self.model = model
            self.protocolVersion = protocolVersion
            self.lines = lines
            self.activeCalls = activeCalls
            self.registeredAt = registeredAt
        }
    }

    /// One side of a live call.
    public struct CallParty: Codable, Hashable, Sendable {
        public var device: String
        /// The directory number of the line the leg is on.
        public var number: String?
        /// The phone's call reference for this leg.
        public var reference: UInt32
        /// `dialing`, `failed`, `ringingOut`, `ringingIn`, `connected` or `held`.
        public var state: String

        public init(device: String, number: String?, reference: UInt32, state: String) {
            self.device = device
            self.number = number
            self.reference = reference
            self.state = state
        }
    }

    /// A call alive now (`GET /api/status/calls`): the caller's leg and, once the number routed, the callee's.
    public struct ActiveCall: Codable, Hashable, Sendable {
        public var caller: CallParty
        public var callee: CallParty?
        /// The digits dialled so far, while the caller is still dialling.
        public var dialing: String?

        public init(caller: CallParty, callee: CallParty?, dialing: String? = nil) {
            self.caller = caller
            self.callee = callee
            self.dialing = dialing
        }
    }

    /// A directory number and what is happening on it (`GET /api/status/lines`).
    public struct LineStatus: Codable, Hashable, Sendable {
        public var number: String
        public var displayName: String
        /// Every device that shows the line, and those of them registered now.
        public var devices: [String]
        public var registeredDevices: [String]
        /// Call legs on this line now.
        public var activeCalls: Int
        public var forwardAll: String?

        public init(
            number: String,
            displayName: String,
            devices: [String],
            registeredDevices: [String],
            activeCalls: Int,
            forwardAll: String?
        ) {
            self.number = number
            self.displayName = displayName
            self.devices = devices
            self.registeredDevices = registeredDevices
            self.activeCalls = activeCalls
            self.forwardAll = forwardAll
        }
    }

    /// A call detail record (`GET /api/cdrs`).
    public struct CallRecord: Codable, Hashable, Sendable {
        public var id: Int64
        public var callingDevice: String
        public var callingNumber: String
        public var dialedNumber: String
        public var calledNumber: String?
        public var calledDevice: String?
        public var setupTime: Date
        public var answerTime: Date?
        public var endTime: Date
        /// Seconds from answer to end; 0 for a call nobody answered.
        public var durationSeconds: Double
        /// `normalClearing`, `abandoned`, `busy`, `invalidNumber`, `unavailable`, `blocked` or `deviceLost`.
        public var endCause: String
        /// `caller`, `callee` or `system`.
        public var releasedBy: String
        public var codec: String?

        public init(
            id: Int64,
            callingDevice: String,
            callingNumber: String,
            dialedNumber: String,
            calledNumber: String?,
            calledDevice: String?,
            setupTime: Date,
            answerTime: Date?,
            endTime: Date,
            durationSeconds: Double,
            endCause: String,
            releasedBy: String,
            codec: String?
        ) {
            self.id = id
            self.callingDevice = callingDevice
            self.callingNumber = callingNumber
            self.dialedNumber = dialedNumber
            self.calledNumber = calledNumber
            self.calledDevice = calledDevice
            self.setupTime = setupTime
            self.answerTime = answerTime
            self.endTime = endTime
            self.durationSeconds = durationSeconds
            self.endCause = endCause
            self.releasedBy = releasedBy
            self.codec = codec
        }
    }

    /// The body of every error response: `{"error": {...}}`.
    public struct ErrorBody: Codable, Hashable, Sendable {
        public struct Detail: Codable, Hashable, Sendable {
            /// `invalidValue`, `unauthorized`, `notFound`, `conflict`, `unprocessable`, `payloadTooLarge` or
            /// `internal`.
            public var code: String
            /// The field at fault as `entity.field` (`line.number`), or the CSV column for an import.
            public var field: String?
            /// The CSV line number, for an import.
            public var row: Int?
            /// A sentence that names the field and the value.
            public var message: String

            public init(code: String, field: String?, row: Int?, message: String) {
                self.code = code
                self.field = field
                self.row = row
                self.message = message
            }
        }

        public var error: Detail

        public init(error: Detail) {
            self.error = error
        }
    }
}
