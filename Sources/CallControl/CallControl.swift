/// CallControl: devices, lines, calls, dial plan and timers as one deterministic state machine (design.md).
///
/// Not built yet: issue 3 fills this target.
public enum CallControlModule {}
