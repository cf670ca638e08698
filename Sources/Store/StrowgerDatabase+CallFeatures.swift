// Issue 12, "Calls with many parties": the schema of the features an administrator configures outside the phone.
// Like every migration these use plain names, never the record types, so that they keep meaning what they meant
// when they shipped (StrowgerDatabase.migrations).
extension StrowgerDatabase {
    /// Hunt groups and pickup groups with their member lines, the park slots and reversion, the transfer on-hook and
    /// do-not-disturb settings, a line's message waiting and a device's do-not-disturb.
    static func addCallFeatures(_ db: any SQLConnection) throws {
        let t = SQLSchemaTypes(db.dialect)
        // A hunt pilot and its ordered member lines (CUCM: hunt pilot + line group). The pilot shares the number
        // space of lines, pickup groups and park slots; the Store keeps them apart (Store+CallFeatures.swift).
        try db.executeSchema(
            """
            CREATE TABLE huntGroup (
                id \(t.autoIncrementedID),
                pilot TEXT NOT NULL UNIQUE,
                algorithm TEXT NOT NULL DEFAULT 'top-down'
                    CHECK (algorithm IN ('top-down', 'circular', 'longest-idle', 'broadcast')),
                noAnswerTimeoutSeconds \(t.integer) NOT NULL DEFAULT 10
                    CHECK (noAnswerTimeoutSeconds BETWEEN 1 AND 300),
                finalDestination TEXT
            )
            """
        )
        // Members are lines (by id, so that a renumbered line stays a member). A line that is a member cannot be
        // deleted (no ON DELETE action: the Store refuses first, with the groups named).
        try db.executeSchema(
            """
            CREATE TABLE huntGroupMember (
                id \(t.autoIncrementedID),
                huntGroupId \(t.integer) NOT NULL REFERENCES huntGroup(id) ON DELETE CASCADE,
                lineId \(t.integer) NOT NULL REFERENCES line(id),
                position \(t.integer) NOT NULL CHECK (position >= 1),
                UNIQUE (huntGroupId, position),
                UNIQUE (huntGroupId, lineId)
            )
            """
        )
        try db.executeSchema("CREATE INDEX huntGroupMember_on_lineId ON huntGroupMember(lineId)")

        try db.executeSchema("CREATE TABLE pickupGroup (id \(t.autoIncrementedID), number TEXT NOT NULL UNIQUE)")
        // `lineId` is unique: a number belongs to at most one pickup group (CUCM's rule), enforced by the database
        // as well as checked (with the other group named) by the Store.
        try db.executeSchema(
            """
            CREATE TABLE pickupGroupMember (
                id \(t.autoIncrementedID),
                pickupGroupId \(t.integer) NOT NULL REFERENCES pickupGroup(id) ON DELETE CASCADE,
                lineId \(t.integer) NOT NULL UNIQUE REFERENCES line(id)
            )
            """
        )
        try db.executeSchema("CREATE INDEX pickupGroupMember_on_pickupGroupId ON pickupGroupMember(pickupGroupId)")

        // Park is off while both slots are NULL; otherwise the first and last slot (digits of equal length).
        try db.executeSchema("ALTER TABLE settings ADD COLUMN parkFirstSlot \(t.integer)")
        try db.executeSchema("ALTER TABLE settings ADD COLUMN parkLastSlot \(t.integer)")
        try db.executeSchema("ALTER TABLE settings ADD COLUMN parkReversionSeconds \(t.integer) NOT NULL DEFAULT 60")
        try db.executeSchema("ALTER TABLE settings ADD COLUMN transferOnHook \(t.boolean) NOT NULL DEFAULT 0")
        try db.executeSchema(
            """
            ALTER TABLE settings ADD COLUMN doNotDisturbMode TEXT NOT NULL DEFAULT 'ringer-off'
            CHECK (doNotDisturbMode IN ('ringer-off', 'reject'))
            """
        )
        try db.executeSchema("ALTER TABLE line ADD COLUMN messageWaiting \(t.boolean) NOT NULL DEFAULT 0")
        try db.executeSchema("ALTER TABLE device ADD COLUMN doNotDisturb \(t.boolean) NOT NULL DEFAULT 0")
    }

    /// The CDR's call ID (every record of one call shares it), the number first reached, and how and by whom the call
    /// was moved to the party the record names.
    static func addCallRecordRedirects(_ db: any SQLConnection) throws {
        let t = SQLSchemaTypes(db.dialect)
        try db.executeSchema("ALTER TABLE callDetailRecord ADD COLUMN callId \(t.integer)")
        try db.executeSchema("ALTER TABLE callDetailRecord ADD COLUMN originalCalledNumber TEXT")
        try db.executeSchema(
            """
            ALTER TABLE callDetailRecord ADD COLUMN redirectReason TEXT
            CHECK (redirectReason IN ('forward-all', 'forward-busy', 'forward-no-answer', 'hunt', 'pickup', \
            'transfer', 'park'))
            """
        )
        try db.executeSchema("ALTER TABLE callDetailRecord ADD COLUMN redirectingNumber TEXT")
        // "The story of a call": every record with one call ID, in order.
        try db.executeSchema("CREATE INDEX callDetailRecord_on_callId ON callDetailRecord(callId)")
    }
}
