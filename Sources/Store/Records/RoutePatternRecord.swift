public import CallControl

/// One entry of the dial plan: a CUCM-style pattern and where it routes. Table `routePattern`.
public struct RoutePatternRecord: Codable, Hashable, Sendable {
    /// Where a matching number goes.
    public enum Target: Hashable, Sendable {
        /// Translate to this directory number.
        case number(String)
        /// Refuse the call with reorder.
        case blocked
        /// Send the call over the SIP trunk with this name, stripping the digits before the pattern's `.` and
        /// adding `prefix` as asked.
        case trunk(name: String, stripPreDot: Bool, prefix: String)
    }

    /// The row id; nil until inserted.
    public var id: Int64?
    /// The pattern text, unique, in CallControl's syntax (`9.1XXX`, `[2-5]XX`, `0!`, `00!#`).
    public var pattern: String
    /// Stored as columns: `targetNumber`, `isBlocked`, and (migration `addSIPTrunks`) `trunkName`, `stripPreDot`
    /// and `prefix`; a CHECK keeps exactly one of number, blocked and trunk.
    private var targetNumber: String?
    private var isBlocked: Bool
    private var trunkName: String?
    private var stripPreDot: Bool
    private var prefix: String
    public var description: String
    /// Breaks ties between equally specific patterns: lower first. Patterns with the same order keep insertion order.
    public var sortOrder: Int

    public var target: Target {
        get {
            if isBlocked { return .blocked }
            if let trunkName { return .trunk(name: trunkName, stripPreDot: stripPreDot, prefix: prefix) }
            return .number(targetNumber ?? "")
        }
        set {
            isBlocked = false
            targetNumber = nil
            trunkName = nil
            stripPreDot = false
            prefix = ""
            switch newValue {
            case .blocked:
                isBlocked = true
            case .number(let number):
                targetNumber = number
            case .trunk(let name, let strip, let prefix):
                trunkName = name
                stripPreDot = strip
                self.prefix = prefix
            }
        }
    }

    public init(id: Int64? = nil, pattern: String, target: Target, description: String = "", sortOrder: Int = 0) {
        self.id = id
        self.pattern = pattern
        self.targetNumber = nil
        self.isBlocked = true
        self.trunkName = nil
        self.stripPreDot = false
        self.prefix = ""
        self.description = description
        self.sortOrder = sortOrder
        self.target = target
    }

    /// Checks every field; throws a ``StoreError`` naming the first bad one.
    public func validate() throws(StoreError) {
        _ = try routePattern(field: "routePattern.pattern")
        switch target {
        case .number(let number):
            try Validation.directoryNumber(number, field: "routePattern.targetNumber")
        case .trunk(let name, _, let prefix):
            try TrunkRecord.validateName(name, field: "routePattern.trunk")
            try Validation.text(prefix, field: "routePattern.prefix", maximumLength: 16, allowsEmpty: true)
        case .blocked:
            break
        }
        try Validation.text(
            description,
            field: "routePattern.description",
            maximumLength: Validation.maximumDescriptionLength,
            allowsEmpty: true
        )
    }

    /// The pattern as CallControl runs it; throws if the text does not parse.
    public func routePattern() throws(StoreError) -> RoutePattern {
        try routePattern(field: "routePattern.pattern")
    }

    private func routePattern(field: String) throws(StoreError) -> RoutePattern {
        let routeTarget: RouteTarget
        switch target {
        case .blocked: routeTarget = .blocked
        case .number(let number): routeTarget = .directoryNumber(DirectoryNumber(number))
        case .trunk(let name, let strip, let prefix):
            routeTarget = .trunk(TrunkRoute(trunk: name, stripPreDot: strip, prefix: prefix))
        }
        do {
            return try RoutePattern(pattern, target: routeTarget)
        } catch {
            throw .invalidValue(field, "route pattern \(Validation.quoted(pattern)) \(Self.explain(error.reason))")
        }
    }

    private static func explain(_ reason: RoutePatternError.Reason) -> String {
        switch reason {
        case .empty: "has nothing to match"
        case .unexpectedCharacter(let character): "has an unexpected character \"\(character)\""
        case .unterminatedSet: "has a [ without ]"
        case .emptySet: "has a set that matches no digit"
        case .invalidRange: "has a range that is not digit-digit in ascending order"
        case .endOfDialingNotLast: "has # somewhere other than at the end"
        case .stripPreDotWithoutDot: "has no . before which digits could be stripped (or a ! before it)"
        case .invalidPrefix(let prefix):
            "has a prefix \(Validation.quoted(prefix)) with a character that cannot be dialled"
        }
    }
}

extension RoutePatternRecord: SQLAutoIncrementedRecord {
    static let tableName = "routePattern"
}
