public import CallControl
public import CallRuntime
public import Logging
public import Media
public import NIOCore
public import ServiceLifecycle

/// The media server as an endpoint of calls (docs/runtime.md, "Adding an endpoint kind"): the runtime's session for
/// ``CallControl/EndpointOwner/mediaServer``, which turns the call core's media commands into engine commands and
/// the engine's answers back into core events. It also runs the ``MediaServer`` as a `Service`.
///
/// When the engine has started (its streaming socket is bound) the session claims the media server with
/// ``CallControl/CallEvent/mediaServerAttached(maximumParticipants:)``, so the core starts using it for holds and
/// conferences; at shutdown it says ``CallControl/CallEvent/mediaServerDetached`` before the engine stops. An engine
/// that cannot start (every port of the range taken) is never attached: holds are silent and Confrn says "No
/// Conference Bridge".
///
/// Commands (``deliver(_:)``, on the core's loop) are queued for the media loop one by one, in the core's order, and
/// never waited for: the core goes on at once. A command that opens a stream (a participant, a music or tone
/// listener) is answered later, from the media loop, with ``CallControl/CallEvent/mediaResourceReady(_:endpoint:)``
/// or ``CallControl/CallEvent/mediaResourceFailed(_:_:)``. Legs are named by their call reference (``MediaLegID``
/// with the same value) and bridges by the core's conference id, so nothing waits for an id either.
public final class MediaServerSession: EndpointSession, Service {
    /// The engine on its sockets.
    public let mediaServer: MediaServer
    private let submit: @Sendable (CallEvent, MediaServerSession) -> Void
    private let maximumParticipants: Int
    private let logger: Logger

    /// - Parameter maximumParticipants: the largest conference the core may build (`--conference-max`).
    public convenience init(mediaServer: MediaServer, host: CallControlHost, maximumParticipants: Int, logger: Logger) {
        self.init(mediaServer: mediaServer, maximumParticipants: maximumParticipants, logger: logger) {
            event,
            session in
            host.submit(event, from: session)
        }
    }

    /// A session that hands its events to `submit` (with itself) instead of a host: for tests of the translation.
    public init(
        mediaServer: MediaServer,
        maximumParticipants: Int,
        logger: Logger,
        submit: @escaping @Sendable (CallEvent, MediaServerSession) -> Void
    ) {
        self.mediaServer = mediaServer
        self.maximumParticipants = maximumParticipants
        self.logger = logger
        self.submit = submit
    }

    /// Starts the engine, attaches it to the call core, and at graceful shutdown detaches it and stops the engine.
    public func run() async throws {
        do {
            try await self.mediaServer.start()
        } catch {
            self.logger.error(
                "The media engine cannot bind a socket in its port range; conference and music on hold are off",
                metadata: ["error": "\(error)"]
            )
            try? await gracefulShutdown()
            await self.mediaServer.stop()
            return
        }
        self.submit(.mediaServerAttached(maximumParticipants: self.maximumParticipants), self)
        try? await gracefulShutdown()
        // The runtime drops this when it let go of the session already (the sessions were closed first).
        self.submit(.mediaServerDetached, self)
        await self.mediaServer.stop()
    }

    /// Carries out the core's media commands in its order, without waiting for the engine.
    public func deliver(_ commands: [CallCommand]) {
        for command in commands {
            switch command {
            case .media(let media):
                self.execute(media)
            case .mediaServerAttachRefused:
                self.logger.error("The call core refused the media server: another one is attached")
            default:
                // The runtime routes only media commands to the media server's session.
                continue
            }
        }
    }

    /// The media server has no busy lamps.
    public func deliver(_ busyLamps: [BusyLampUpdate]) {}

    /// The runtime let go of the session (shutdown): nothing to close here; the engine stops when the service does.
    public func close() {}

    /// The engine runs in this process: it is always heard, so a second claim of the media server is refused.
    public var lastHeard: NIODeadline { .now() }

    private func execute(_ command: MediaResourceCommand) {
        guard let engineCommand = Self.engineCommand(command) else {
            // Not G.711: the bridge mixes and streams G.711 only (the core asks for nothing else).
            if let leg = command.openedLeg {
                self.submit(.mediaResourceFailed(leg, .noResources), self)
            }
            return
        }
        let future = self.mediaServer.submit(engineCommand)
        guard let leg = command.openedLeg else {
            future.whenSuccess { [logger] result in
                if case .failed(let error) = result {
                    // A leg or bridge that is gone already (a race between a hang-up and the engine): nothing to do.
                    logger.debug(
                        "Media command failed",
                        metadata: ["media.command": "\(command)", "error": "\(error)"]
                    )
                }
            }
            return
        }
        future.whenComplete { [submit, logger] result in
            let event: CallEvent?
            switch result {
            case .success(.endpoint(let endpoint)):
                event = .mediaResourceReady(leg, endpoint: MediaEndpoint(endpoint))
            case .success(.done):
                event = nil
            case .success(.failed(let error)):
                event = Self.failure(error).map { .mediaResourceFailed(leg, $0) }
                logger.info(
                    "The media server refused a stream",
                    metadata: ["call.reference": "\(leg)", "media.command": "\(command)", "error": "\(error)"]
                )
            case .failure(let error):
                event = .mediaResourceFailed(leg, .noResources)
                logger.info("The media server is gone", metadata: ["error": "\(error)"])
            }
            if let event { submit(event, self) }
        }
    }

    /// The engine's command for the core's, or nil for a codec the engine does not mix.
    static func engineCommand(_ command: MediaResourceCommand) -> MediaCommand? {
        switch command {
        case .createConference(let id, let maximum):
            return .createConference(Media.ConferenceID(conference: id), maximumParticipants: maximum)
        case .destroyConference(let id):
            return .destroyConference(Media.ConferenceID(conference: id))
        case .addParticipant(let leg, let conference, let codec):
            guard let law = G711Codec(codec) else { return nil }
            return .addParticipant(
                MediaLegID(callReference: leg),
                conference: Media.ConferenceID(conference: conference),
                codec: law
            )
        case .removeParticipant(let leg):
            return .removeParticipant(MediaLegID(callReference: leg))
        case .setRemote(let leg, let endpoint):
            return .setRemote(MediaLegID(callReference: leg), MediaSocketAddress(endpoint))
        case .startMusicOnHold(let leg, let source, let codec, let remote):
            guard let law = G711Codec(codec) else { return nil }
            return .startMusicOnHold(
                MediaLegID(callReference: leg),
                source: source ?? BuiltInMusic.sourceName,
                codec: law,
                remote: MediaSocketAddress(remote)
            )
        case .stopMusicOnHold(let leg):
            return .stopMusicOnHold(MediaLegID(callReference: leg))
        case .startTone(let leg, let tone, let codec, let remote):
            guard let law = G711Codec(codec) else { return nil }
            return .startTone(
                MediaLegID(callReference: leg),
                tone: MediaTone(tone),
                codec: law,
                remote: MediaSocketAddress(remote)
            )
        case .changeTone(let leg, let tone):
            return .playTone(MediaLegID(callReference: leg), tone: MediaTone(tone))
        case .stopTone(let leg):
            return .stopTone(MediaLegID(callReference: leg))
        }
    }

    /// What the core is told of an engine refusal; nil when the leg or bridge is gone already (the core moved on).
    static func failure(_ error: MediaCommandError) -> MediaResourceFailure? {
        switch error.code {
        case .portsExhausted, .streamLimit: .noResources
        case .conferenceFull: .conferenceFull
        case .unknownSource: .unknownSource
        // The bridge was closed or the leg removed before the answer: the core has forgotten the leg's request.
        case .unknownConference, .unknownLeg: nil
        // The core names each stream by its leg and opens it once; a clash means the engine kept a leg the core
        // let go of. Refusing it makes the core drop the party from the bridge, as for no resources.
        default: .noResources
        }
    }

    /// What the engine reports on its own, for the log: the core does not act on these. A participant's silence
    /// (`mediaInactive`) is no sign of a dead phone on its own: a muted Cisco phone, or one with silence suppression,
    /// stops sending RTP too; a phone that is gone loses its SCCP connection (keepalive), which ends its calls.
    public static func eventHandler(logger: Logger) -> @Sendable (MediaEvent) -> Void {
        { event in
            switch event {
            case .mediaInactive(let leg):
                logger.info(
                    "A conference participant stopped sending RTP",
                    metadata: ["call.reference": "\(leg.rawValue)"]
                )
            case .toneFinished:
                break
            }
        }
    }
}

extension MediaResourceCommand {
    /// The leg whose new stream the command opens (answered with ready or failed), or nil.
    var openedLeg: CallReference? {
        switch self {
        case .addParticipant(let leg, _, _), .startMusicOnHold(let leg, _, _, _), .startTone(let leg, _, _, _): leg
        case .createConference, .destroyConference, .removeParticipant, .setRemote, .stopMusicOnHold, .changeTone,
            .stopTone:
            nil
        }
    }
}
