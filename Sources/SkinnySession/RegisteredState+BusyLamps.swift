import CallControl
import SkinnyWire

/// Busy lamp fields: speed dials that show the state of the number they dial (call-flows §14, reference §6.4, §6.8).
///
/// From v15 a BLF speed dial is a button of type 0x15, asked about with FeatureStatReq and updated with
/// FeatureStatV2Res (featureId 0x15, status §6.8). Below v15 there is no such button type: the button stays a plain
/// speed dial (0x02) and its lamp shows the state with SetLamp (off idle, on in use, blink ringing).
extension RegisteredState {
    /// The speed dial with `index` if it is a busy lamp field.
    func busyLampSpeedDial(_ index: UInt32) -> SpeedDial? {
        self.profile.speedDials.first { $0.index == index && $0.isBusyLampField }
    }

    /// The BLF state of speed dial `index` changed (from presence). The state is kept for FeatureStatReq; the phone
    /// is told at once if it has its button template, otherwise when it asks (v15+) or right after the template
    /// (below v15). Nothing is sent when what the phone shows does not change.
    mutating func busyLampFieldChanged(index: UInt32, state: BusyLampState) -> [SessionAction] {
        guard let speedDial = self.busyLampSpeedDial(index) else { return [] }
        let previous = self.busyLamps[index] ?? .unknown
        guard previous != state else { return [] }
        self.busyLamps[index] = state
        guard self.buttonTemplateSent else { return [] }
        if self.version >= .v15 {
            return [.send(self.busyLampFeatureStat(speedDial, state: state))]
        }
        let mode = Self.lampMode(for: state)
        guard mode != Self.lampMode(for: previous) else { return [] }
        return [.send(.setLamp(SkinnyMessage.SetLamp(.speedDial, instance: index, mode: mode)))]
    }

    /// FeatureStatV2Res for a BLF speed dial: its index, feature 0x15, the state's status and the speed dial's label.
    func busyLampFeatureStat(_ speedDial: SpeedDial, state: BusyLampState) -> CallManagerMessage {
        .featureStatV2Res(
            SkinnyMessage.FeatureStatV2Res(
                featureIndex: speedDial.index,
                featureID: .blfSpeedDial,
                featureStatus: Self.featureStatus(for: state),
                textLabel: speedDial.label
            )
        )
    }

    /// Below v15, the lamps of BLF speed dials that are not off, sent after the button template so that the phone
    /// shows states it learned before it had its buttons.
    func busyLampsAfterTemplate() -> [SessionAction] {
        guard self.version < .v15 else { return [] }
        return self.profile.speedDials.compactMap { speedDial in
            guard speedDial.isBusyLampField else { return nil }
            let mode = Self.lampMode(for: self.busyLamps[speedDial.index] ?? .unknown)
            guard mode != .off else { return nil }
            return .send(.setLamp(SkinnyMessage.SetLamp(.speedDial, instance: speedDial.index, mode: mode)))
        }
    }

    /// FeatureStatV2Res status for BLF (reference §6.8): 0 unknown, 1 idle, 2 in use, 3 DND, 4 alerting.
    static func featureStatus(for state: BusyLampState) -> UInt32 {
        switch state {
        case .unknown: 0
        case .idle: 1
        case .inUse: 2
        case .doNotDisturb: 3
        case .ringing: 4
        }
    }

    /// The lamp of a BLF speed dial on a phone below v15 (reference §6.3): off when idle or unknown, steady on when in
    /// use or in do-not-disturb (a lamp has no DND colour; either way the number will not take a call), blinking when
    /// ringing, as a line lamp does (CUCM 4.1).
    static func lampMode(for state: BusyLampState) -> SkinnyLampMode {
        switch state {
        case .unknown, .idle: .off
        case .inUse, .doNotDisturb: .on
        case .ringing: .blink
        }
    }
}
