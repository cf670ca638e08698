import CallControl

// A STAND-IN for `CallControlCore.liveCalls` (issue 12), which the CallControl core is getting. When it lands, delete
// this file and, in `HostLiveStatus.activeCalls()`, replace `core.liveCallSnapshots(registered: names)` with
// `core.liveCalls`: nothing else changes.
extension CallControlCore {
    /// Today's calls (at most two legs, linked by their peer references) as ``CallSnapshot``s: the caller's leg
    /// first (the one dialling or hearing ring-back, else the older, lower reference), each call's ID its caller's
    /// reference.
    func liveCallSnapshots(registered names: [DeviceName]) -> [CallSnapshot] {
        var legs: [CallReference: (summary: CallSummary, number: DirectoryNumber?)] = [:]
        for name in names {
            let lines = directory.devices[name]?.lines ?? []
            for leg in calls(of: name) {
                let index = Int(leg.line.rawValue) - 1
                legs[leg.reference] = (leg, lines.indices.contains(index) ? lines[index] : nil)
            }
        }
        var snapshots: [CallSnapshot] = []
        var done = Set<CallReference>()
        for (reference, leg) in legs.sorted(by: { $0.key < $1.key }) where !done.contains(reference) {
            done.insert(reference)
            var ordered = [leg]
            if let peer = leg.summary.peer.flatMap({ legs[$0] }) {
                done.insert(peer.summary.reference)
                if Self.isCallee(leg.summary.state) || Self.isCaller(peer.summary.state) {
                    ordered.insert(peer, at: 0)
                } else {
                    ordered.append(peer)
                }
            }
            var dialed: String?
            if case .dialing(let digits) = ordered[0].summary.state { dialed = digits }
            snapshots.append(
                CallSnapshot(
                    id: CallID(ordered[0].summary.reference.rawValue),
                    legs: ordered.map { leg in
                        LegSnapshot(
                            reference: leg.summary.reference,
                            device: leg.summary.device,
                            line: leg.summary.line,
                            number: leg.number ?? DirectoryNumber(""),
                            state: leg.summary.state
                        )
                    },
                    dialedNumber: dialed
                )
            )
        }
        return snapshots
    }

    private static func isCaller(_ state: CallSummary.State) -> Bool {
        switch state {
        case .dialing, .failed, .ringingOut: true
        case .ringingIn, .connected, .held, .inUseRemote: false
        }
    }

    private static func isCallee(_ state: CallSummary.State) -> Bool {
        if case .ringingIn = state { return true }
        return false
    }
}
