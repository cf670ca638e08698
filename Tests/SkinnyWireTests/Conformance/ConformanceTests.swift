import Foundation
import NIOCore
import SkinnyWire
import Testing

/// The conformance check against an independent decoder: every sample of StationSamples,
/// CallManagerRegistrationSamples and CallManagerCallSamples, at every version of `conformanceVersions`, goes into
/// one pcap file that tshark reads once (see `ConformanceCheck` for what is compared).
///
/// Without tshark these tests are skipped, unless `STROWGER_REQUIRE_TSHARK=1` (set by scripts/test), which turns a
/// missing tshark into a failure. `STROWGER_CONFORMANCE_PCAP=FILE` keeps the capture for a look in Wireshark.
@Suite struct ConformanceTests {
    /// The fewest distinct message types the samples must cover at every version of `conformanceVersions`, each
    /// version counted on its own. Raised as messages are added.
    static let minimumMessageTypes = 60

    static let tsharkMissing: Comment =
        "tshark is not installed: install it (apt-get install tshark) or run scripts/test; set STROWGER_TSHARK to use another binary"

    @Test func tsharkIsPresentWhenRequired() {
        if TsharkRunner.isRequired {
            #expect(
                TsharkRunner.executable != nil,
                "STROWGER_REQUIRE_TSHARK=1 but tshark was not found on PATH; scripts/test installs it"
            )
        }
    }

    @Test(.enabled(if: TsharkRunner.executable != nil, tsharkMissing), arguments: conformanceVersions)
    func samplesDecodeInTshark(version: SkinnyProtocolVersion) throws {
        let outcome = try ConformanceRun.shared.get()
        let result = try #require(outcome.results[ConformanceRun.label(version)])
        #expect(result.frames > 0, "no samples at \(version)")
        for failure in result.failures {
            Issue.record("\(failure.text)")
        }
        print(
            "Conformance \(version): tshark checked \(result.frames) frames of \(result.messageIDs.count) message types,"
                + " \(result.failures.count) failures, \(result.knownDisagreements.count) known disagreements"
                + " (\(result.knownDisagreements.map(\.sample).joined(separator: ", ")))"
        )
    }

    /// Prints every sample whose tshark flags are tolerated, with its reason (issue 2: "list the exception in the
    /// test"). Each must still have been flagged by tshark; `ConformanceCheck` fails the sample otherwise.
    @Test(.enabled(if: TsharkRunner.executable != nil, tsharkMissing))
    func listsKnownDisagreements() throws {
        let outcome = try ConformanceRun.shared.get()
        let disagreements = conformanceVersions.flatMap {
            outcome.results[ConformanceRun.label($0)]?.knownDisagreements ?? []
        }
        // One line per sample, with the versions it is listed at.
        var versions: [String: [String]] = [:]
        var reasons: [String: String] = [:]
        for disagreement in disagreements {
            versions[disagreement.sample, default: []].append(disagreement.group)
            reasons[disagreement.sample] = disagreement.reason
        }
        print(
            "Conformance: \(disagreements.count) known disagreements with tshark 4.0.17, where Strowger follows real "
                + "phones or Wireshark's own description:"
        )
        for sample in versions.keys.sorted() {
            print("  \(sample) at \(versions[sample, default: []].joined(separator: ", ")): \(reasons[sample] ?? "")")
        }
        for disagreement in disagreements {
            #expect(!disagreement.reason.isEmpty, "\(disagreement.sample) at \(disagreement.group) gives no reason")
            #expect(!disagreement.tsharkFlags.isEmpty, "\(disagreement.sample) at \(disagreement.group)")
        }
    }

    /// The handshake frames carry no warning: checksums and sequence numbers of the pcap writer are right.
    @Test(.enabled(if: TsharkRunner.executable != nil, tsharkMissing))
    func captureIsCleanOutsideTheSamples() throws {
        let outcome = try ConformanceRun.shared.get()
        for failure in outcome.results["pcap"]?.failures ?? [] {
            Issue.record("\(failure.text)")
        }
    }

    /// Every version on its own covers at least `minimumMessageTypes` distinct message types, so that a version
    /// with few samples cannot hide behind the others.
    @Test(.enabled(if: TsharkRunner.executable != nil, tsharkMissing), arguments: conformanceVersions)
    func coversEnoughMessageTypes(version: SkinnyProtocolVersion) throws {
        let outcome = try ConformanceRun.shared.get()
        let result = try #require(outcome.results[ConformanceRun.label(version)])
        print("Conformance \(version): \(result.messageIDs.count) distinct message types in \(result.frames) frames")
        #expect(
            result.messageIDs.count >= Self.minimumMessageTypes,
            "only \(result.messageIDs.count) message types at \(version); at least \(Self.minimumMessageTypes) needed"
        )
    }

    @Test(.enabled(if: TsharkRunner.executable != nil, tsharkMissing))
    func reportsTotals() throws {
        let outcome = try ConformanceRun.shared.get()
        let ids = conformanceVersions.reduce(into: Set<UInt32>()) {
            $0.formUnion(outcome.results[ConformanceRun.label($1)]?.messageIDs ?? [])
        }
        let frames = conformanceVersions.reduce(0) { $0 + (outcome.results[ConformanceRun.label($1)]?.frames ?? 0) }
        print(
            "Conformance: \(ids.count) distinct message types over \(conformanceVersions.count) versions, "
                + "\(frames) frames checked by tshark in all"
        )
        #expect(ids.count >= Self.minimumMessageTypes)
    }

    /// The harness itself can fail: the control group's wrong expectations, truncated body and undissectable header
    /// version are each reported, and its right expectations are not.
    @Test(.enabled(if: TsharkRunner.executable != nil, tsharkMissing))
    func harnessReportsEveryKindOfMismatch() throws {
        let outcome = try ConformanceRun.shared.get()
        let failures = outcome.results[ConformanceRun.controlLabel]?.failures ?? []
        func texts(_ name: String) -> [String] { failures.filter { $0.sample == name }.map(\.text) }

        #expect(texts("ControlRight") == [])
        let wrong = texts("ControlWrongValue")
        #expect(wrong.count == 1)
        #expect(
            wrong.first?.contains(#"skinny.callState: expected "4", tshark read "1" (0x00000001)"#) == true,
            "\(wrong)"
        )
        #expect(wrong.first?.contains("ControlWrongValue (control, call manager → phone, 0x111, frame") == true)
        let absent = texts("ControlAbsentField")
        #expect(
            absent == absent.filter { $0.contains(#"skinny.keepAliveInterval: expected "30", tshark read (absent)"#) }
        )
        #expect(absent.count == 1)
        let order = texts("ControlWrongOrder")
        #expect(order.count == 1 && order.first?.contains(#"expected "1,1", tshark read "1""#) == true, "\(order)")
        #expect(texts("ControlTruncated").contains { $0.contains("malformed") }, "\(texts("ControlTruncated"))")
        #expect(texts("ControlTruncated").contains { $0.contains("tshark expert error") })
        #expect(texts("ControlUnknownHeaderVersion").contains { $0.contains("did not decode it as skinny") })

        // A known disagreement tolerates tshark's malformed mark and expert error, and nothing else: its fields are
        // still compared, and one tshark no longer flags is reported.
        #expect(texts("ControlKnownDisagreement") == [])
        let disagreements = outcome.results[ConformanceRun.controlLabel]?.knownDisagreements ?? []
        let known = disagreements.first { $0.sample == "ControlKnownDisagreement" }
        #expect(known?.tsharkFlags.contains { $0.contains("malformed") } == true, "\(disagreements)")
        let wrongField = texts("ControlDisagreementWrongValue")
        #expect(wrongField.count == 1 && wrongField.first?.contains(#"expected "4", tshark read "1""#) == true)
        let stale = texts("ControlStaleDisagreement")
        #expect(stale.count == 1 && stale.first?.contains("tshark reads it cleanly") == true, "\(stale)")
        let bare = texts("ControlDisagreementWithoutFields")
        #expect(bare.count == 1 && bare.first?.contains("must still expect the fields") == true, "\(bare)")
    }
}

/// The one tshark run of the process, made on first use.
enum ConformanceRun {
    static let controlLabel = "control"

    struct Outcome: Sendable {
        var results: [String: ConformanceCheck.GroupResult]
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static func label(_ version: SkinnyProtocolVersion) -> String { "\(version)" }

    static let shared: Result<Outcome, Failure> = {
        guard let executable = TsharkRunner.executable else {
            return .failure(Failure(description: "tshark not found"))
        }
        var groups = conformanceVersions.map { version in
            ConformanceCheck.Group(
                label: label(version),
                samples: StationSamples.samples(version: version)
                    + CallManagerRegistrationSamples.samples(version: version)
                    + CallManagerCallSamples.samples(version: version)
            )
        }
        groups.append(ConformanceCheck.Group(label: controlLabel, samples: controlSamples))
        let check = ConformanceCheck(groups: groups)

        let keptPath = ProcessInfo.processInfo.environment["STROWGER_CONFORMANCE_PCAP"].flatMap {
            $0.isEmpty ? nil : $0
        }
        let url =
            keptPath.map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.temporaryDirectory.appendingPathComponent(
                "strowger-conformance-\(UUID().uuidString).pcap"
            )
        defer {
            if keptPath == nil { try? FileManager.default.removeItem(at: url) }
        }
        do {
            return .success(
                Outcome(results: try check.run(tshark: TsharkRunner(executable: executable), captureURL: url))
            )
        } catch {
            return .failure(Failure(description: "the conformance run failed: \(error)"))
        }
    }()

    /// Frames whose tshark reading is known, with expectations that are right and wrong on purpose. CallState as
    /// CUCM 4.1 sent it (pyskinny fixture cm_cap_new_call frame 83): state 1, line 1, call 0x0100001A.
    static var controlSamples: [ConformanceSample] {
        let callState = SkinnyFrame(
            headerVersion: 0,
            id: .callState,
            body: ByteBuffer(bytes: hex("01000000010000001a000001000000000400000000000000"))
        )
        return [
            ConformanceSample(
                control: "ControlRight",
                .callManager,
                callState,
                expect: ["skinny.callState": "1", "skinny.lineInstance": "1", "skinny.callReference": "16777242"]
            ),
            ConformanceSample(control: "ControlWrongValue", .callManager, callState, expect: ["skinny.callState": "4"]),
            ConformanceSample(
                control: "ControlAbsentField",
                .callManager,
                callState,
                expect: ["skinny.keepAliveInterval": "30"]
            ),
            ConformanceSample(
                control: "ControlWrongOrder",
                .callManager,
                callState,
                expect: ["skinny.lineInstance": "1,1"]
            ),
            // A body cut short: tshark's layout runs past it.
            ConformanceSample(
                control: "ControlTruncated",
                .callManager,
                SkinnyFrame(id: .callState, body: ByteBuffer(bytes: hex("0100000001000000"))),
                expect: [:]
            ),
            // The truncated body again, as a known disagreement: the malformed mark is tolerated, the fields are not.
            ConformanceSample(
                control: "ControlKnownDisagreement",
                .callManager,
                SkinnyFrame(id: .callState, body: ByteBuffer(bytes: hex("0100000001000000"))),
                expect: ["skinny.callState": "1", "skinny.lineInstance": "1"],
                tsharkDisagreement: "control: a body cut short on purpose"
            ),
            ConformanceSample(
                control: "ControlDisagreementWrongValue",
                .callManager,
                SkinnyFrame(id: .callState, body: ByteBuffer(bytes: hex("0100000001000000"))),
                expect: ["skinny.callState": "4"],
                tsharkDisagreement: "control: a body cut short on purpose"
            ),
            ConformanceSample(
                control: "ControlDisagreementWithoutFields",
                .callManager,
                SkinnyFrame(id: .callState, body: ByteBuffer(bytes: hex("0100000001000000"))),
                expect: [:],
                tsharkDisagreement: "control: a body cut short on purpose"
            ),
            // A disagreement tshark does not have: the frame is whole.
            ConformanceSample(
                control: "ControlStaleDisagreement",
                .callManager,
                callState,
                expect: ["skinny.callState": "1"],
                tsharkDisagreement: "control: nothing wrong with this one"
            ),
            // Header version 12 is one Wireshark does not dissect (reference §2.1).
            ConformanceSample(
                control: "ControlUnknownHeaderVersion",
                .station,
                SkinnyFrame(headerVersion: 12, id: .keepAlive),
                expect: [:]
            ),
        ]
    }
}

extension ConformanceSample {
    /// A sample made of raw bytes, for the harness's control group.
    init(
        control name: String,
        _ direction: Direction,
        _ frame: SkinnyFrame,
        expect expectedFields: [String: String],
        tsharkDisagreement: String? = nil
    ) {
        self.name = name
        self.direction = direction
        self.version = .v11
        self.frame = frame
        self.expectedFields = expectedFields
        self.tsharkDisagreement = tsharkDisagreement
    }
}
