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

    /// One leg of a live call: one device's side of it.
    public struct CallParty: Codable, Hashable, Sendable {
        public var device: String
        /// The directory number of the line the leg is on.
        public var number: String?
        /// The phone's call reference for this leg.
        public var reference: UInt32
        /// `dialing`, `failed`, `ringingOut`, `ringingIn`, `connected`, `held` or `inUseRemote` (a shared line
        /// answered on another device).
        public var state: String
        /// The line instance (button) on the device, from 1.
        public var line: UInt32?

        public init(device: String, number: String?, reference: UInt32, state: String, line: UInt32? = nil) {
            self.device = device
            self.number = number
            self.reference = reference
            self.state = state
            self.line = line
        }
    }

    /// A call alive now (`GET /api/status/calls`): all its legs, any number of them (a call that rings a shared
    /// line or a broadcast hunt group has one per device it rings), and for older clients the first two as caller
    /// and callee.
    public struct ActiveCall: Codable, Hashable, Sendable {
        /// The call's ID, the `callId` its call records will carry; nil from a server that does not report it.
        public var id: UInt32?
        /// Every leg: the one that placed the call (or, after a transfer, the party that stayed) first.
        public var legs: [CallParty]
        /// `legs[0]`.
        public var caller: CallParty
        /// `legs[1]`, if there is one.
        public var callee: CallParty?
        /// The digits dialled so far, or the complete number as dialled.
        public var dialing: String?
        /// The park slot, while the call is parked.
        public var parkSlot: String?
        /// The hunt pilot, while a hunt group offers the call.
        public var huntPilot: String?

        /// A call of `legs`, the caller first; nil if there are none.
        public init?(
            id: UInt32?,
            legs: [CallParty],
            dialing: String? = nil,
            parkSlot: String? = nil,
            huntPilot: String? = nil
        ) {
            guard let first = legs.first else { return nil }
            self.id = id
            self.legs = legs
            self.caller = first
            self.callee = legs.dropFirst().first
            self.dialing = dialing
            self.parkSlot = parkSlot
            self.huntPilot = huntPilot
        }

        /// A two-party call (its legs are the caller and the callee).
        public init(caller: CallParty, callee: CallParty?, dialing: String? = nil) {
            self.id = nil
            self.legs = [caller] + (callee.map { [$0] } ?? [])
            self.caller = caller
            self.callee = callee
            self.dialing = dialing
            self.parkSlot = nil
            self.huntPilot = nil
        }

        enum CodingKeys: String, CodingKey {
            case id, legs, caller, callee, dialing, parkSlot, huntPilot
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            self.id = try container.decodeIfPresent(UInt32.self, forKey: .id)
            self.caller = try container.decode(CallParty.self, forKey: .caller)
            self.callee = try container.decodeIfPresent(CallParty.self, forKey: .callee)
            self.legs =
                try container.decodeIfPresent([CallParty].self, forKey: .legs)
                ?? [caller] + (callee.map { [$0] } ?? [])
            self.dialing = try container.decodeIfPresent(String.self, forKey: .dialing)
            self.parkSlot = try container.decodeIfPresent(String.self, forKey: .parkSlot)
            self.huntPilot = try container.decodeIfPresent(String.self, forKey: .huntPilot)
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
        /// `normalClearing`, `abandoned`, `busy`, `invalidNumber`, `unavailable`, `blocked`, `deviceLost` or
        /// `redirected` (this party left and the call went on: the next record of the call says where).
        public var endCause: String
        /// `caller`, `callee` or `system`.
        public var releasedBy: String
        public var codec: String?
        /// The call the record belongs to: every record of one call (a transfer, a park and its retrieval…) has the
        /// same ID. IDs are reused after a while, so read them with the times.
        public var callID: Int64?
        /// The number first reached, before a forward, hunt, pickup, transfer or park moved the call on.
        public var originalCalledNumber: String?
        /// How the call came to the called party, if not by plain dialling: `forward-all`, `forward-busy`,
        /// `forward-no-answer`, `hunt`, `pickup`, `transfer` or `park`.
        public var redirectReason: String?
        /// Who moved it: the forwarding line, the hunt pilot, the number whose ringing call was picked up, the
        /// transferring or the parking party.
        public var redirectingNumber: String?
        /// The SIP trunk the call came in on or went out through.
        public var trunk: String?
        /// The SIP status that ended or refused the call on the trunk, when the far end sent one.
        public var sipStatus: Int?

        enum CodingKeys: String, CodingKey {
            case id, callingDevice, callingNumber, dialedNumber, calledNumber, calledDevice, setupTime, answerTime
            case endTime, durationSeconds, endCause, releasedBy, codec, originalCalledNumber, redirectReason
            case redirectingNumber, trunk, sipStatus
            case callID = "callId"
        }

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
            codec: String?,
            callID: Int64? = nil,
            originalCalledNumber: String? = nil,
            redirectReason: String? = nil,
            redirectingNumber: String? = nil,
            trunk: String? = nil,
            sipStatus: Int? = nil
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
            self.callID = callID
            self.originalCalledNumber = originalCalledNumber
            self.redirectReason = redirectReason
            self.redirectingNumber = redirectingNumber
            self.trunk = trunk
            self.sipStatus = sipStatus
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
