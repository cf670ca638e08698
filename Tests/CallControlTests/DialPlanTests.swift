import CallControl
import Testing

@Suite struct DialPlanTests {
    /// DNs 200, 2001, 1001, 1002; patterns chosen so that each rule has a case that tells it apart.
    static func directory() throws -> Directory {
        Directory(
            devices: [
                DeviceConfiguration(name: "SEP000000000001", lines: ["1001", "200"]),
                DeviceConfiguration(name: "SEP000000000002", lines: ["1002", "2001"]),
            ],
            routePatterns: [
                try RoutePattern("9.1[2-9]XX", target: .directoryNumber("1002")),
                try RoutePattern("0", target: .directoryNumber("1001")),
                try RoutePattern("8[135]X", target: .directoryNumber("1002")),
                try RoutePattern("7!", target: .blocked),
                try RoutePattern("77X", target: .directoryNumber("1001")),
                try RoutePattern("6!#", target: .directoryNumber("1002")),
                try RoutePattern("5XXX", target: .blocked),
                try RoutePattern("55XX", target: .directoryNumber("1001")),
                try RoutePattern("4XX", target: .directoryNumber("1001")),
                try RoutePattern("4[0-9]X", target: .directoryNumber("1002")),
                try RoutePattern("3[^0]", target: .directoryNumber("1002")),
                try RoutePattern("\\+49X", target: .directoryNumber("1001")),
            ]
        )
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var digits: String
        var end: DialingEnd
        var expected: DialAnalysis
        var testDescription: String { "\"\(digits)\" \(end) → \(expected)" }
    }

    static let cases: [Case] = [
        // Exact directory numbers.
        Case(digits: "1001", end: .stillDialing, expected: .route(.directoryNumber("1001"))),
        Case(digits: "100", end: .stillDialing, expected: .wait),
        Case(digits: "100", end: .interdigitTimeout, expected: .noMatch),
        Case(digits: "1009", end: .stillDialing, expected: .noMatch),
        // A directory number that is the prefix of another waits for the timeout, then routes.
        Case(digits: "200", end: .stillDialing, expected: .wait),
        Case(digits: "200", end: .interdigitTimeout, expected: .route(.directoryNumber("200"))),
        Case(digits: "2001", end: .stillDialing, expected: .route(.directoryNumber("2001"))),
        // `.` is ignored, `[2-9]` excludes 1, `X` is any digit.
        Case(digits: "91234", end: .stillDialing, expected: .route(.directoryNumber("1002"))),
        Case(digits: "9123", end: .stillDialing, expected: .wait),
        Case(digits: "91123", end: .stillDialing, expected: .noMatch),
        Case(digits: "0", end: .stillDialing, expected: .route(.directoryNumber("1001"))),
        // `[135]`.
        Case(digits: "813", end: .stillDialing, expected: .route(.directoryNumber("1002"))),
        Case(digits: "823", end: .stillDialing, expected: .noMatch),
        // `!` can always grow, so it routes only on the timeout; a more specific pattern wins then.
        Case(digits: "7", end: .stillDialing, expected: .wait),
        Case(digits: "75", end: .stillDialing, expected: .wait),
        Case(digits: "75", end: .interdigitTimeout, expected: .route(.blocked)),
        Case(digits: "771", end: .stillDialing, expected: .wait),
        Case(digits: "771", end: .interdigitTimeout, expected: .route(.directoryNumber("1001"))),
        Case(digits: "7712", end: .interdigitTimeout, expected: .route(.blocked)),
        // `#`-patterns need the end of dialling (`#` or en bloc), never the timeout.
        Case(digits: "61", end: .stillDialing, expected: .wait),
        Case(digits: "61", end: .endOfDialing, expected: .route(.directoryNumber("1002"))),
        Case(digits: "61", end: .interdigitTimeout, expected: .noMatch),
        // Most specific wins: 55XX (100 strings) beats 5XXX (1000) regardless of order.
        Case(digits: "5512", end: .stillDialing, expected: .route(.directoryNumber("1001"))),
        Case(digits: "5612", end: .stillDialing, expected: .route(.blocked)),
        // Equally specific: the earlier pattern wins.
        Case(digits: "412", end: .stillDialing, expected: .route(.directoryNumber("1001"))),
        // Negated set.
        Case(digits: "31", end: .stillDialing, expected: .route(.directoryNumber("1002"))),
        Case(digits: "30", end: .stillDialing, expected: .noMatch),
        // Escaped plus.
        Case(digits: "+491", end: .stillDialing, expected: .route(.directoryNumber("1001"))),
        Case(digits: "", end: .endOfDialing, expected: .noMatch),
    ]

    @Test(arguments: cases)
    func analysis(_ testCase: Case) throws {
        let directory = try Self.directory()
        #expect(directory.analyze(testCase.digits, end: testCase.end) == testCase.expected)
    }

    @Test func directoryNumberBeatsAnEquallySpecificPattern() throws {
        let directory = Directory(
            devices: [DeviceConfiguration(name: "SEP000000000001", lines: ["1001"])],
            routePatterns: [try RoutePattern("1001", target: .blocked), try RoutePattern("1XXX", target: .blocked)]
        )
        #expect(directory.analyze("1001", end: .stillDialing) == .route(.directoryNumber("1001")))
        #expect(directory.analyze("1002", end: .stillDialing) == .route(.blocked))
    }

    @Test func removingADeviceForgetsItsNumbersAndPrefixes() throws {
        var directory = try Self.directory()
        directory.removeDevice(named: "SEP000000000002")
        #expect(directory.analyze("1002", end: .stillDialing) == .noMatch)
        #expect(directory.analyze("200", end: .stillDialing) == .route(.directoryNumber("200")))
        #expect(directory.devices(carrying: "2001").isEmpty)
    }

    @Test(arguments: [
        ("", RoutePatternError.Reason.empty),
        (".#", .empty),
        ("[12", .unterminatedSet),
        ("[]", .emptySet),
        ("[^0-9]", .emptySet),
        ("1#2", .endOfDialingNotLast),
        ("[5-2]", .invalidRange),
        ("[-2]", .invalidRange),
        ("1?", .unexpectedCharacter("?")),
        ("\\1", .unexpectedCharacter("\\")),
    ])
    func invalidPatternsAreRejected(text: String, reason: RoutePatternError.Reason) {
        #expect(throws: RoutePatternError(pattern: text, reason: reason)) {
            try RoutePattern(text, target: .blocked)
        }
    }

    @Test func largePlanStillMatchesByTrie() throws {
        // 2,000 exact patterns plus a catch-all: the exact ones must win and the catch-all must still apply.
        var patterns: [RoutePattern] = []
        for number in 0..<2000 {
            patterns.append(try RoutePattern("8\(number + 10000)", target: .directoryNumber("1001")))
        }
        patterns.append(try RoutePattern("8!", target: .blocked))
        let directory = Directory(
            devices: [DeviceConfiguration(name: "SEP000000000001", lines: ["1001"])],
            routePatterns: patterns
        )
        #expect(directory.analyze("811999", end: .interdigitTimeout) == .route(.directoryNumber("1001")))
        #expect(directory.analyze("812000", end: .interdigitTimeout) == .route(.blocked))
        #expect(directory.analyze("811999", end: .stillDialing) == .wait)
    }
}

@Suite struct TrunkRouteTests {
    static func pattern(_ text: String, strip: Bool = false, prefix: String = "") throws -> RoutePattern {
        try RoutePattern(text, target: .trunk(TrunkRoute(trunk: "carrier", stripPreDot: strip, prefix: prefix)))
    }

    @Test func preDotDigitsAreStrippedAndThePrefixAdded() throws {
        #expect(try Self.pattern("9.!", strip: true).outboundNumber(for: "90301234567") == "0301234567")
        #expect(
            try Self.pattern("9.!", strip: true, prefix: "+49").outboundNumber(for: "90301234567") == "+490301234567"
        )
        #expect(
            try Self.pattern("9.0!", strip: true, prefix: "+49").outboundNumber(for: "90301234567") == "+490301234567"
        )
        #expect(try Self.pattern("[89]0.!", strip: true).outboundNumber(for: "80123") == "123")
        #expect(try Self.pattern("\\+.!", strip: true).outboundNumber(for: "+4930") == "4930")
        #expect(try Self.pattern("0!", prefix: "0049").outboundNumber(for: "0301234") == "00490301234")
        #expect(try Self.pattern("0!").outboundNumber(for: "0301234") == "0301234")
        let local = try RoutePattern("1XXX", target: .directoryNumber("1000"))
        #expect(local.outboundNumber(for: "1001") == nil)
    }

    @Test func strippingNeedsAFixedPreDotPart() {
        #expect(throws: RoutePatternError(pattern: "9!", reason: .stripPreDotWithoutDot)) {
            try Self.pattern("9!", strip: true)
        }
        #expect(throws: RoutePatternError(pattern: "9!.1", reason: .stripPreDotWithoutDot)) {
            try Self.pattern("9!.1", strip: true)
        }
        #expect(throws: RoutePatternError(pattern: "9.!", reason: .invalidPrefix("+4 9"))) {
            try Self.pattern("9.!", prefix: "+4 9")
        }
    }

    @Test func aTrunkRouteIsAnalysedLikeAnyOther() throws {
        let directory = Directory(
            routePatterns: [try Self.pattern("9.!", strip: true), try RoutePattern("9.1XXX", target: .blocked)]
        )
        #expect(
            directory.analyze("90301234", end: .endOfDialing)
                == .route(.trunk(TrunkRoute(trunk: "carrier", stripPreDot: true)))
        )
        #expect(directory.analyze("91234", end: .endOfDialing) == .route(.blocked))
    }
}
