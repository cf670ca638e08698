/// The route patterns compiled into a trie, so that analysing a number does not try every pattern.
///
/// Patterns that start alike share nodes; each edge is one ``PatternElement`` (a key, a set of keys, or `!`, whose
/// target node loops on itself). Matching runs the trie as an NFA: the set of live nodes after each key. Analysing
/// a number of `L` keys costs O(L × A × F), where A is the number of live nodes (patterns that agree with every key so
/// far — small in practice) and F the fan-out of a node (at most 16 keys plus the distinct wildcards used at that
/// position). It does not grow with the number of patterns as such. Building costs O(total pattern length × F).
///
/// Directory numbers are not in the trie: ``Directory`` finds them by dictionary lookup.
struct DialPlan: Sendable {
    private struct Edge: Sendable {
        var element: PatternElement
        var child: Int
    }

    private struct Node: Sendable {
        var edges: [Edge] = []
        /// Keys on which the node stays live: set on nodes reached by a `!` edge.
        var loopMask: DialAlphabet.Mask = 0
        /// The first pattern that ends here and needs no `#`.
        var terminal: Int?
        /// The first pattern that ends here and needs `#` (or en-bloc) to match.
        var terminalAtEndOfDialing: Int?
    }

    /// What a (possibly partial) number matches.
    struct Match {
        /// Patterns matching the number as it stands.
        var complete: [Int] = []
        /// Patterns that would match it if dialling ended now with `#` or en bloc.
        var completeAtEndOfDialing: [Int] = []
        /// Whether some pattern could still match after more keys (or after `#`).
        var canGrow = false
    }

    let patterns: [RoutePattern]
    private var nodes: [Node] = [Node()]

    init(patterns: [RoutePattern]) {
        self.patterns = patterns
        for (index, pattern) in patterns.enumerated() {
            insert(pattern, index: index)
        }
    }

    private mutating func insert(_ pattern: RoutePattern, index: Int) {
        var current = 0
        for element in pattern.elements {
            if let edge = nodes[current].edges.first(where: { $0.element == element }) {
                current = edge.child
            } else {
                var child = Node()
                if element.repeats { child.loopMask = element.mask }
                nodes.append(child)
                nodes[current].edges.append(Edge(element: element, child: nodes.count - 1))
                current = nodes.count - 1
            }
        }
        if pattern.requiresEndOfDialing {
            if nodes[current].terminalAtEndOfDialing == nil { nodes[current].terminalAtEndOfDialing = index }
        } else {
            if nodes[current].terminal == nil { nodes[current].terminal = index }
        }
    }

    /// Runs `keys` (indices into ``DialAlphabet``) through the trie.
    func match(_ keys: [UInt8]) -> Match {
        var live = [0]
        var next: [Int] = []
        for key in keys {
            let bit: DialAlphabet.Mask = 1 << key
            next.removeAll(keepingCapacity: true)
            for index in live {
                let node = nodes[index]
                if node.loopMask & bit != 0, !next.contains(index) { next.append(index) }
                for edge in node.edges where edge.element.mask & bit != 0 && !next.contains(edge.child) {
                    next.append(edge.child)
                }
            }
            swap(&live, &next)
            if live.isEmpty { return Match() }
        }
        var result = Match()
        for index in live {
            let node = nodes[index]
            if let terminal = node.terminal { result.complete.append(terminal) }
            if let terminal = node.terminalAtEndOfDialing {
                result.completeAtEndOfDialing.append(terminal)
                result.canGrow = true
            }
            if !node.edges.isEmpty || node.loopMask != 0 { result.canGrow = true }
        }
        return result
    }
}

/// How dialling stands when a number is analysed.
public enum DialingEnd: Hashable, Sendable {
    /// The user may still press keys: route only if nothing longer could match.
    case stillDialing
    /// The interdigit timer expired: route the best match as it stands; `#`-patterns do not match.
    case interdigitTimeout
    /// The user pressed `#`, or the number came en bloc: the number is complete, `#`-patterns match too.
    case endOfDialing
}

/// The outcome of analysing a number.
public enum DialAnalysis: Hashable, Sendable {
    /// Route now.
    case route(RouteTarget)
    /// Wait for more keys; on the interdigit timeout the number is analysed again as complete.
    case wait
    /// Nothing matches and nothing could: the number is invalid.
    case noMatch
}
