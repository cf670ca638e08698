import Testing

@testable import CallControl

/// The features' sub-machines on their own (style.md §2.9): the decisions, without legs or timers.
@Suite struct TransferStateMachineTests {
    @Test(arguments: [
        (TransferStateMachine.ConsultationPhase.dialing, TransferStateMachine.Action.none),
        (.ringing, .completeBlind),
        (.answered, .completeConsulted),
        (.failed, .returnHeldParty),
    ])
    func transferPressed(_ phase: TransferStateMachine.ConsultationPhase, _ action: TransferStateMachine.Action) {
        #expect(TransferStateMachine(heldLeg: 1).transferPressed(consultation: phase) == action)
    }

    @Test func hangingUpCompletesOnlyWithTransferOnHook() {
        let machine = TransferStateMachine(heldLeg: 1)
        for phase in [TransferStateMachine.ConsultationPhase.dialing, .ringing, .answered, .failed] {
            #expect(machine.consultationHungUp(phase, transferOnHook: false) == .endConsultation)
        }
        #expect(machine.consultationHungUp(.ringing, transferOnHook: true) == .completeBlind)
        #expect(machine.consultationHungUp(.answered, transferOnHook: true) == .completeConsulted)
        #expect(machine.consultationHungUp(.failed, transferOnHook: true) == .endConsultation)
    }
}

@Suite struct HuntStateMachineTests {
    let group = HuntGroup(pilot: "3000", members: ["1", "2", "3"], algorithm: .topDown, finalDestination: "9")

    @Test func sequentialSkipsUnavailableMembersThenGoesToTheFinalDestination() {
        var machine = HuntStateMachine(group: group, order: group.members)
        #expect(machine.start { $0 != "1" } == .offer(["2"]))
        #expect(machine.currentMembers == ["2"])
        #expect(machine.offerEnded { _ in true } == .offer(["3"]))
        #expect(machine.offerEnded { _ in true } == .finalDestination("9"))
        #expect(machine.isFinished)
    }

    @Test func withoutFinalDestinationTheHuntIsExhausted() {
        var group = self.group
        group.finalDestination = nil
        var machine = HuntStateMachine(group: group, order: ["3", "1"])
        #expect(machine.start { _ in false } == .exhausted)
    }

    @Test func broadcastOffersEveryAvailableMemberOnce() {
        var group = self.group
        group.algorithm = .broadcast
        var machine = HuntStateMachine(group: group, order: group.members)
        #expect(machine.start { $0 != "2" } == .offer(["1", "3"]))
        #expect(machine.offerEnded { _ in true } == .finalDestination("9"))
    }

    @Test func anAnswerFinishesTheHunt() {
        var machine = HuntStateMachine(group: group, order: group.members)
        _ = machine.start { _ in true }
        machine.answered()
        #expect(machine.isFinished)
        #expect(machine.currentMembers.isEmpty)
    }
}
