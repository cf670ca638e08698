/// Commands from the call core (``MediaCommand``) and the answers of socket binding.
extension MediaEngine {
    /// Carries out `command`. Nothing changes when the answer is a failure.
    public mutating func execute(_ command: MediaCommand) -> Action {
        switch command {
        case .createConference(let id, let maximum):
            guard self.conferences[id] == nil else {
                return .reply(.failed(.init(.conferenceExists, "\(id) is open")))
            }
            let limit = max(2, maximum ?? self.configuration.conferenceMaximum)
            self.conferences[id] = Conference(id: id, maximumParticipants: limit, slot: self.takeSlot())
            self.conferenceOrder.append(id)
            return .reply(.done)

        case .destroyConference(let id):
            guard let conference = self.conferences.removeValue(forKey: id) else {
                return .reply(.failed(.init(.unknownConference, "no \(id)")))
            }
            self.conferenceOrder.removeAll { $0 == id }
            let closing = conference.participants
            for leg in closing { self.forget(leg) }
            return .closeSockets(closing, reply: .done)

        case .addParticipant(let id, let conferenceID, let codec):
            if let refusal = self.refuseNewLeg(id) { return .reply(.failed(refusal)) }
            guard let conference = self.conferences[conferenceID] else {
                return .reply(.failed(.init(.unknownConference, "no \(conferenceID)")))
            }
            guard conference.participants.count < conference.maximumParticipants else {
                return .reply(
                    .failed(
                        .init(.conferenceFull, "\(conferenceID) has \(conference.maximumParticipants) participants")
                    )
                )
            }
            guard let port = self.ports.allocate() else {
                self.counters.portsExhausted += 1
                return .reply(.failed(.init(.portsExhausted, "every port of \(self.configuration.ports) is in use")))
            }
            let leg = Leg(id: id, codec: codec, conference: conferenceID, musicSource: nil)
            leg.port = port
            leg.slot = conference.slot
            self.legs[id] = leg
            conference.participants.append(id)
            return .bindSocket(id, port: port)

        case .removeParticipant(let id):
            guard let leg = self.legs[id], leg.conference != nil else {
                return .reply(.failed(self.legError(id, expected: "a conference participant")))
            }
            self.forget(id)
            return leg.port != nil ? .closeSockets([id], reply: .done) : .reply(.done)

        case .setRemote(let id, let remote):
            guard let leg = self.legs[id] else { return .reply(.failed(.init(.unknownLeg, "no \(id)"))) }
            leg.remote = remote
            if !leg.early.isEmpty { self.replayEarlyPackets(of: leg) }
            return .reply(.done)

        case .startMusicOnHold(let id, let sourceName, let codec, let remote):
            if let refusal = self.refuseNewLeg(id) { return .reply(.failed(refusal)) }
            guard let streamingPort = self.streamingPort else {
                return .reply(.failed(.init(.portsExhausted, "the streaming socket is not bound")))
            }
            let key = Self.musicSourceKey(sourceName)
            guard let source = self.sources[key] else {
                return .reply(.failed(.init(.unknownSource, "no music source named \(sourceName)")))
            }
            let leg = Leg(id: id, codec: codec, conference: nil, musicSource: key)
            leg.remote = remote
            leg.slot = self.takeSlot()
            self.legs[id] = leg
            source.add(id, codec: codec, slot: leg.slot)
            return .reply(.endpoint(self.endpoint(port: streamingPort)))

        case .stopMusicOnHold(let id):
            guard let leg = self.legs[id], leg.musicSource != nil else {
                return .reply(.failed(self.legError(id, expected: "a music-on-hold leg")))
            }
            self.forget(id)
            return .reply(.done)

        case .startTone(let id, let tone, let codec, let remote):
            if let refusal = self.refuseNewLeg(id) { return .reply(.failed(refusal)) }
            guard let streamingPort = self.streamingPort else {
                return .reply(.failed(.init(.portsExhausted, "the streaming socket is not bound")))
            }
            let leg = Leg(id: id, codec: codec, conference: nil, musicSource: nil)
            leg.remote = remote
            leg.slot = self.takeSlot()
            leg.tone = TonePlayback(tone: tone, clip: self.toneClip(tone))
            self.legs[id] = leg
            self.toneLegs.append(id)
            return .reply(.endpoint(self.endpoint(port: streamingPort)))

        case .playTone(let id, let tone):
            guard let leg = self.legs[id], leg.musicSource == nil else {
                return .reply(.failed(self.legError(id, expected: "a participant or tone leg")))
            }
            leg.tone = TonePlayback(tone: tone, clip: self.toneClip(tone))
            return .reply(.done)

        case .stopTone(let id):
            guard let leg = self.legs[id], leg.musicSource == nil else {
                return .reply(.failed(self.legError(id, expected: "a participant or tone leg")))
            }
            if leg.conference != nil {
                leg.tone = nil
            } else {
                self.forget(id)
            }
            return .reply(.done)

        case .addMusicSource(let name, let clip):
            let key = Self.musicSourceKey(name)
            if let source = self.sources[key] {
                source.clip = clip
                source.startFrame = self.currentFrame + 1
            } else {
                self.sources[key] = MusicSource(
                    name: name,
                    clip: clip,
                    slots: self.configuration.slots,
                    frame: self.currentFrame + 1
                )
            }
            return .reply(.done)

        case .removeMusicSource(let name):
            let key = Self.musicSourceKey(name)
            guard key != Self.musicSourceKey(BuiltInMusic.sourceName) else {
                return .reply(.failed(.init(.unknownSource, "the built-in source cannot be removed")))
            }
            guard let source = self.sources.removeValue(forKey: key) else {
                return .reply(.failed(.init(.unknownSource, "no music source named \(name)")))
            }
            // Its listeners go on with the built-in music rather than silence.
            let fallbackKey = Self.musicSourceKey(BuiltInMusic.sourceName)
            if let fallback = self.sources[fallbackKey] {
                for id in Array(source.muLawListeners.joined()) + Array(source.aLawListeners.joined()) {
                    guard let leg = self.legs[id] else { continue }
                    leg.musicSource = fallbackKey
                    fallback.add(id, codec: leg.codec, slot: leg.slot)
                }
            }
            return .reply(.done)
        }
    }

    /// The participant's socket is bound: the command that asked for it is answered with its endpoint.
    public mutating func socketBound(_ id: MediaLegID) -> Action {
        guard let leg = self.legs[id], let port = leg.port else {
            // Removed while binding: close what was just bound.
            return .closeSockets([id], reply: .failed(.init(.unknownLeg, "\(id) was removed while binding")))
        }
        leg.isBound = true
        return .reply(.endpoint(self.endpoint(port: port)))
    }

    /// Binding the participant's socket failed (the port is held by another process): another port, or the
    /// command fails.
    public mutating func socketBindFailed(_ id: MediaLegID) -> Action {
        guard let leg = self.legs[id], let port = leg.port else {
            return .reply(.failed(.init(.unknownLeg, "\(id) was removed while binding")))
        }
        self.ports.markUnusable(port)
        leg.port = nil
        leg.portsTried.insert(port)
        if leg.portsTried.count < self.configuration.bindAttempts,
            let next = self.ports.allocate(avoiding: leg.portsTried)
        {
            leg.port = next
            return .bindSocket(id, port: next)
        }
        self.forget(id)
        self.counters.portsExhausted += 1
        return .reply(
            .failed(.init(.portsExhausted, "no port of \(self.configuration.ports) could be bound"))
        )
    }

    /// The key a music source is filed under: its name without regard to case, as the Store names sources (a line
    /// that chose `Lobby` hears the source stored as `lobby`).
    static func musicSourceKey(_ name: String) -> String {
        name.lowercased()
    }

    /// Why a new leg `id` cannot be opened, or nil.
    private func refuseNewLeg(_ id: MediaLegID) -> MediaCommandError? {
        if self.legs[id] != nil { return .init(.legExists, "\(id) is open") }
        if self.legs.count >= self.configuration.maximumLegs {
            return .init(.streamLimit, "the engine serves its maximum of \(self.configuration.maximumLegs) streams")
        }
        return nil
    }

    private func legError(_ id: MediaLegID, expected: String) -> MediaCommandError {
        self.legs[id] == nil ? .init(.unknownLeg, "no \(id)") : .init(.wrongLegKind, "\(id) is not \(expected)")
    }

    mutating func toneClip(_ tone: MediaTone) -> AudioClip {
        if let clip = self.toneClips[tone] { return clip }
        let clip = self.configuration.toneRegion.clip(tone)
        self.toneClips[tone] = clip
        return clip
    }

    /// Removes a leg from every table and gives its port back.
    mutating func forget(_ id: MediaLegID) {
        guard let leg = self.legs.removeValue(forKey: id) else { return }
        if let port = leg.port { self.ports.release(port) }
        if let jitter = leg.jitter { self.retiredJitter.add(jitter.statistics) }
        if let conferenceID = leg.conference, let conference = self.conferences[conferenceID] {
            conference.participants.removeAll { $0 == id }
        }
        if let source = leg.musicSource { self.sources[source]?.remove(id, slot: leg.slot) }
        if leg.conference == nil && leg.musicSource == nil { self.toneLegs.removeAll { $0 == id } }
    }
}
