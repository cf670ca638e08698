import Foundation

/// Call-progress tones the engine plays where a phone cannot play them itself: to a party whose media goes to a
/// resource (ringback to a party held on a bridge while the next one is called, busy or reorder into a conference
/// leg, a beep when someone joins or leaves).
public enum MediaTone: String, Hashable, Sendable, CaseIterable {
    /// The far end is ringing.
    case ringback
    /// The far end is busy.
    case busy
    /// The call cannot be completed (fast busy).
    case reorder
    /// Someone joined the conference: one short rising beep, played once.
    case joinBeep
    /// Someone left the conference: one short falling beep, played once.
    case leaveBeep

    /// Whether the tone repeats until stopped (cadenced tones) or plays once.
    public var repeats: Bool {
        switch self {
        case .ringback, .busy, .reorder: true
        case .joinBeep, .leaveBeep: false
        }
    }
}

/// Which country's tone plan the engine uses: the frequencies and cadences of ITU-T E.180 Supplement 2 for the
/// two plans Cisco phones ship with most.
public enum ToneRegion: String, Hashable, Sendable, CaseIterable {
    /// North America (E.180 Suppl. 2 for the USA/Canada): ringback 440+480 Hz 2 s on 4 s off, busy 480+620 Hz
    /// 0.5 s on 0.5 s off, reorder 480+620 Hz 0.25/0.25 s.
    case northAmerica
    /// Most of Europe (CEPT, E.180 Suppl. 2): 425 Hz; ringback 1 s on 4 s off, busy 0.5/0.5 s, congestion
    /// 0.25/0.25 s.
    case europe

    /// The frequencies of `tone` in this plan.
    func frequencies(_ tone: MediaTone) -> [Double] {
        switch (self, tone) {
        case (.northAmerica, .ringback): [440, 480]
        case (.northAmerica, .busy), (.northAmerica, .reorder): [480, 620]
        case (.europe, .ringback), (.europe, .busy), (.europe, .reorder): [425]
        case (_, .joinBeep), (_, .leaveBeep): []
        }
    }

    /// On and off times in milliseconds, one cycle.
    func cadence(_ tone: MediaTone) -> [(on: Int, off: Int)] {
        switch (self, tone) {
        case (.northAmerica, .ringback): [(2_000, 4_000)]
        case (.europe, .ringback): [(1_000, 4_000)]
        case (_, .busy): [(500, 500)]
        case (_, .reorder): [(250, 250)]
        case (_, .joinBeep), (_, .leaveBeep): []
        }
    }

    /// One cycle of `tone` as a clip: a repeating tone's whole cadence, or the one beep (followed by 40 ms of
    /// silence so that it ends on a frame boundary).
    public func clip(_ tone: MediaTone) -> AudioClip {
        let rate = Double(MediaTiming.sampleRate)
        var samples: [Int16] = []
        switch tone {
        case .joinBeep, .leaveBeep:
            // Two 80 ms notes a fifth apart (880 and 1320 Hz), up for join and down for leave.
            let notes: [Double] = tone == .joinBeep ? [880, 1_320] : [1_320, 880]
            for frequency in notes {
                samples += Self.sine([frequency], samples: 640, amplitude: 7_000, fade: 40)
            }
            samples += [Int16](repeating: 0, count: 320)
        case .ringback, .busy, .reorder:
            let frequencies = self.frequencies(tone)
            for (on, off) in self.cadence(tone) {
                // Each frequency at about −13 dBm0 (ITU-T E.180 §2: −10 to −20 dBm0 per tone).
                samples += Self.sine(frequencies, samples: Int(rate) * on / 1_000, amplitude: 4_500, fade: 40)
                samples += [Int16](repeating: 0, count: Int(rate) * off / 1_000)
            }
        }
        return AudioClip(samples: samples)
    }

    /// A sum of sines, each at `amplitude`, with a linear fade of `fade` samples at both ends so that the cadence
    /// does not click.
    static func sine(_ frequencies: [Double], samples count: Int, amplitude: Double, fade: Int) -> [Int16] {
        (0..<count).map { index in
            let t = Double(index) / Double(MediaTiming.sampleRate)
            let edge = Double(min(index, count - 1 - index, fade)) / Double(max(fade, 1))
            let value = frequencies.reduce(0) { $0 + sin(2 * Double.pi * $1 * t) } * amplitude * min(1, edge)
            return Int16(max(-32767, min(32767, value.rounded())))
        }
    }
}
