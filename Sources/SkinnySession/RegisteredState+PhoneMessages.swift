import CallControl
import SkinnyWire

/// What a registered phone sends: requests answered at once, events forwarded to the core (call-flows §1, §2).
extension RegisteredState {
    mutating func messageReceived(_ message: StationMessage, now: Timestamp) -> [SessionAction] {
        switch message {
        // Requests: each answered on its own, in whatever order the phone pipelines them (call-flows §1 notes).
        case .buttonTemplateReq:
            self.buttonTemplateSent = true
            return self.buttonTemplate().map { .send(.buttonTemplateRes($0)) } + self.busyLampsAfterTemplate()
                + self.deviceStatesAfterTemplate()
        case .softKeyTemplateReq:
            return [.send(.softKeyTemplateRes(StrowgerSoftKeys.template))]
        case .softKeySetReq:
            // chan-sccp selects the idle set right after sending the sets.
            return [.send(.softKeySetRes(StrowgerSoftKeys.sets(self.profile.softkeys))), .send(self.idleSoftKeys())]
        case .configStatReq:
            return [.send(.configStatRes(self.configStat()))]
        case .lineStatReq(let request):
            return [.send(self.lineStat(request.lineNumber))]
        case .forwardStatReq(let request):
            return [.send(.forwardStatRes(self.forwardStat(request.lineNumber)))]
        case .speedDialStatReq(let request):
            return [.send(.speedDialStatRes(self.speedDialStat(request.speedDialNumber)))]
        case .featureStatReq(let request):
            return [.send(self.featureStat(request.featureIndex))]
        case .serviceURLStatReq(let request):
            return [
                .send(
                    .serviceURLStatRes(
                        SkinnyMessage.ServiceURLStatRes(
                            serviceURLIndex: request.serviceURLIndex,
                            url: "",
                            displayName: ""
                        )
                    )
                )
            ]
        case .timeDateReq:
            return self.timeDate(now: now).map(SessionAction.send)
        case .versionReq:
            // The load the phone runs: Strowger does not push firmware, so the phone keeps what it has.
            return [.send(.versionRes(SkinnyMessage.VersionRes(version: self.register.firmwareLoadName)))]
        case .serverReq:
            return [.send(.serverRes(self.serverRes()))]
        case .registerTokenReq:
            return [.send(.registerTokenAck)]
        case .spcpRegisterTokenReq:
            return [.send(.spcpRegisterTokenAck(SkinnyMessage.SPCPRegisterTokenAck()))]

        // Capabilities.
        case .capabilitiesRes(let response):
            return self.capabilitiesReceived(response.capabilities.map(\.codec))
        case .capabilitiesV2Res(let response):
            return self.capabilitiesReceived(response.capabilities)
        case .capabilitiesV3Res(let response):
            return self.capabilitiesReceived(response.capabilities)
        case .updateCapabilities(let update):
            return self.capabilitiesReceived(update.capabilities)

        // Call events.
        case .offHook(let offHook):
            return [
                .forward(
                    .offHook(
                        self.name,
                        line: self.knownLine(offHook.lineInstance),
                        call: self.knownCall(offHook.callReference)
                    )
                )
            ]
        case .offHookWithCallingPartyNumber(let offHook):
            return [.forward(.offHook(self.name, line: self.knownLine(offHook.lineInstance), call: nil))]
        case .onHook(let onHook):
            // ≥ v15 phones often name neither line nor call: the core then clears the active call.
            return [
                .forward(
                    .onHook(
                        self.name,
                        line: self.knownLine(onHook.lineInstance),
                        call: self.knownCall(onHook.callReference)
                    )
                )
            ]
        case .keypadButton(let key):
            guard let character = key.button.character else { return [] }
            // `#` too: the core ends dialling on it.
            return [
                .forward(
                    .digit(
                        self.name,
                        line: self.knownLine(key.lineInstance),
                        call: self.knownCall(key.callReference),
                        character
                    )
                )
            ]
        case .enblocCall(let enbloc):
            return [
                .forward(.enbloc(self.name, line: self.knownLine(enbloc.lineInstance), number: enbloc.calledParty))
            ]
        case .softKeyEvent(let event):
            return self.softKeyPressed(event)
        case .stimulus(let stimulus):
            return self.stimulusReceived(stimulus)

        // Media.
        case .openReceiveChannelAck(let ack):
            return self.receiveChannelOpened(ack)
        case .startMediaTransmissionAck, .mediaTransmissionFailure:
            // Informational for now: the core has no event for a failed transmission (docs/callcontrol.md).
            return []

        // Informational messages that need no answer.
        case .ipPort, .hookFlash, .mediaPortList, .alarm, .multicastMediaReceptionAck, .connectionStatisticsRes,
            .headsetStatus, .mediaResourceNotification, .registerAvailableLines, .deviceToUserData,
            .deviceToUserDataResponse, .openMultiMediaReceiveChannelAck, .clearConference, .deviceToUserDataV1,
            .deviceToUserDataResponseV1, .portRes, .subscriptionStatReq, .mediaPathEvent, .mediaPathCapability,
            .startMultiMediaTransmissionAck, .locationInfo, .addOnDeviceCapabilities, .enhancedAlarm, .unknown:
            return []

        // Handled by the machine before it gets here.
        case .keepAlive, .register, .unregister:
            return []
        }
    }

    // MARK: - Events

    private mutating func capabilitiesReceived(_ codecs: [SkinnyCodec], video: Bool = false) -> [SessionAction] {
        self.offeredCodecs = codecs
        let capabilities = DeviceCapabilities(
            codecs: MediaMapping.codecs(of: codecs),
            supportsVideo: video,
            rfc2833: self.register.features.contains(.rfc2833)
        )
        return [.forward(.capabilitiesChanged(self.name, capabilities))]
    }

    /// The media capabilities of newer phones: audio codecs, and video if any video capability is listed (presence
    /// reports the user as video-capable).
    private mutating func capabilitiesReceived(_ capabilities: SkinnyMediaCapabilities) -> [SessionAction] {
        self.capabilitiesReceived(capabilities.audio.map(\.codec), video: !capabilities.video.isEmpty)
    }

    private func softKeyPressed(_ event: SkinnyMessage.SoftKeyEvent) -> [SessionAction] {
        let line = self.knownLine(event.lineInstance)
        let call = self.knownCall(event.callReference)
        let key: SoftKey
        switch event.event {
        case .redial: key = .redial
        case .newCall: key = .newCall
        case .endCall: key = .endCall
        case .answer: key = .answer
        case .hold: key = .hold
        case .resume: key = .resume
        case .backSpace: key = .backSpace
        case .transfer: key = .transfer
        case .directTransfer: key = .directTransfer
        case .park: key = .park
        case .pickUp: key = .pickUp
        case .groupPickUp: key = .groupPickUp
        case .doNotDisturb: key = .doNotDisturb
        case .conference: key = .conference
        case .join: key = .join
        case .removeLastParticipant: key = .removeLastParticipant
        case .conferenceList: key = .conferenceList
        case .dial:
            // "Dial" ends dialling, as `#` does (not in Strowger's template, but some firmware sends it).
            return [.forward(.digit(self.name, line: line, call: call, "#"))]
        default:
            // Conference, forwarding, meet-me … are not implemented yet and not in Strowger's softkey sets.
            return []
        }
        return [.forward(.softKey(self.name, key, line: line, call: call))]
    }

    private func stimulusReceived(_ stimulus: SkinnyMessage.Stimulus) -> [SessionAction] {
        let call = self.knownCall(stimulus.callReference)
        switch stimulus.stimulus {
        case .line:
            guard let line = self.knownLine(stimulus.stimulusInstance) else { return [] }
            return [.forward(.lineButton(self.name, line: line))]
        case .speedDial, .blfSpeedDial:
            // A BLF speed dial (v15+) dials its number like any speed dial (call-flows §14).
            guard stimulus.stimulusInstance != 0 else { return [] }
            return [.forward(.speedDial(self.name, index: stimulus.stimulusInstance))]
        case .lastNumberRedial:
            return [.forward(.softKey(self.name, .redial, line: nil, call: nil))]
        case .hold:
            // Button phones hold with a Hold button (call-flows §7).
            return [.forward(.softKey(self.name, .hold, line: nil, call: call))]
        case .newCall:
            return [.forward(.softKey(self.name, .newCall, line: nil, call: nil))]
        case .endCall:
            return [.forward(.softKey(self.name, .endCall, line: nil, call: call))]
        case .transfer:
            // Button phones transfer with a Transfer button (call-flows §8, CM2 capture: Stimulus 4).
            return [.forward(.softKey(self.name, .transfer, line: nil, call: call))]
        case .callPark:
            return [.forward(.softKey(self.name, .park, line: nil, call: call))]
        case .callPickup:
            return [.forward(.softKey(self.name, .pickUp, line: nil, call: nil))]
        case .groupCallPickup:
            return [.forward(.softKey(self.name, .groupPickUp, line: nil, call: nil))]
        case .doNotDisturb:
            return [.forward(.softKey(self.name, .doNotDisturb, line: nil, call: nil))]
        case .conference:
            return [.forward(.softKey(self.name, .conference, line: nil, call: call))]
        default:
            // Voicemail, forward, conference … buttons: not implemented yet.
            return []
        }
    }

    private func receiveChannelOpened(_ ack: SkinnyMessage.OpenReceiveChannelAck) -> [SessionAction] {
        // A failed open (status ≠ 0) has no CallControl event yet; the call stays without media one way.
        guard ack.status == .ok, let address = MediaMapping.mediaAddress(ack.ipAddress),
            let port = UInt16(exactly: ack.port), ack.passThroughPartyID != 0
        else { return [] }
        return [
            .forward(
                .receiveChannelOpened(
                    self.name,
                    call: self.knownCall(ack.callReference),
                    passThroughPartyID: PassThroughPartyID(ack.passThroughPartyID),
                    endpoint: MediaEndpoint(address: address, port: port)
                )
            )
        ]
    }

    // MARK: - Replies

    /// The buttons: lines (instances 1…n), then speed dials (their configured indexes), paged by 42
    /// (reference §5.2, §7 #3). From v15 a BLF speed dial is a BLF speed-dial button (0x15); below, a speed dial.
    func buttonTemplate() -> [SkinnyMessage.ButtonTemplateRes] {
        var buttons: [SkinnyMessage.ButtonTemplateRes.Button] = []
        for line in self.profile.lines {
            guard let instance = UInt8(exactly: line.instance.rawValue) else { continue }
            buttons.append(.init(instanceNumber: instance, buttonType: .line))
        }
        for speedDial in self.profile.speedDials {
            guard let instance = UInt8(exactly: speedDial.index) else { continue }
            let type: SkinnyStimulus = speedDial.isBusyLampField && self.version >= .v15 ? .blfSpeedDial : .speedDial
            buttons.append(.init(instanceNumber: instance, buttonType: type))
        }
        return SkinnyMessage.ButtonTemplateRes.pages(buttons)
    }

    func configStat() -> SkinnyMessage.ConfigStatRes {
        SkinnyMessage.ConfigStatRes(
            deviceName: self.name.rawValue,
            userID: self.register.userID,
            instance: self.register.instance,
            userName: "",
            serverName: self.configuration.serverName,
            numberOfLines: UInt32(clamping: self.profile.lines.count),
            numberOfSpeedDials: UInt32(clamping: self.profile.speedDials.count)
        )
    }

    /// LineStatRes below v17, LineStatV2Res from v17 (chan-sccp; reference §2.3). A line the device does not have
    /// is answered with empty fields.
    func lineStat(_ number: UInt32) -> CallManagerMessage {
        let line = self.profile.lines.first { $0.instance.rawValue == number }
        let directoryNumber = line?.number.rawValue ?? ""
        let name = line?.displayName ?? ""
        if self.version.usesAddressBlocks {
            return .lineStatV2Res(
                SkinnyMessage.LineStatV2Res(
                    lineNumber: number,
                    directoryNumber: directoryNumber,
                    fullyQualifiedDisplayName: name
                )
            )
        }
        return .lineStatRes(
            SkinnyMessage.LineStatRes(
                lineNumber: number,
                directoryNumber: directoryNumber,
                fullyQualifiedDisplayName: name
            )
        )
    }

    func speedDialStat(_ index: UInt32) -> SkinnyMessage.SpeedDialStatRes {
        let speedDial = self.profile.speedDials.first { $0.index == index }
        return SkinnyMessage.SpeedDialStatRes(
            speedDialNumber: index,
            directoryNumber: speedDial?.number ?? "",
            displayName: speedDial?.label ?? ""
        )
    }

    /// From v15 a FeatureStatReq for a BLF speed dial is answered with its current state (call-flows §14). Strowger's
    /// template has no other feature buttons, so anything else is answered as an unused slot (feature 0, no label):
    /// FeatureStatV2Res from v15 (BLF-era phones), FeatureStatRes below.
    func featureStat(_ index: UInt32) -> CallManagerMessage {
        if self.version >= .v15, let speedDial = self.busyLampSpeedDial(index) {
            return self.busyLampFeatureStat(speedDial, state: self.busyLamps[index] ?? .unknown)
        }
        if self.version >= .v15 {
            return .featureStatV2Res(
                SkinnyMessage.FeatureStatV2Res(featureIndex: index, featureID: 0, featureStatus: 0, textLabel: "")
            )
        }
        return .featureStatRes(
            SkinnyMessage.FeatureStatRes(featureIndex: index, featureID: 0, textLabel: "", featureStatus: 0)
        )
    }

    func serverRes() -> SkinnyMessage.ServerRes {
        SkinnyMessage.ServerRes(servers: [
            SkinnyMessage.ServerRes.Server(
                name: self.configuration.serverName,
                port: self.configuration.serverPort,
                address: self.configuration.serverAddress
            )
        ])
    }

    /// TimeDateRes in UTC from `now`, then the idle screen unless a call is up (phones ask for the time again
    /// later, e.g. hourly, and that must not wipe a call's softkeys).
    func timeDate(now: Timestamp) -> [CallManagerMessage] {
        let seconds = now.sinceEpoch.components.seconds
        let timeDate = SkinnyMessage.TimeDateRes(unixTime: UInt32(clamping: seconds))
        guard self.calls.isEmpty else { return [.timeDateRes(timeDate)] }
        return [.timeDateRes(timeDate)] + self.idleScreen()
    }
}
