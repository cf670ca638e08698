import GRDB

// Issue 12, "Calls with many parties": the schema of the features an administrator configures outside the phone.
// Like every migration these use plain names, never the record types, so that they keep meaning what they meant
// when they shipped (StrowgerDatabase.migrator).
extension StrowgerDatabase {
    /// Hunt groups and pickup groups with their member lines, the park slots and reversion, the transfer on-hook and
    /// do-not-disturb settings, a line's message waiting and a device's do-not-disturb.
    static func addCallFeatures(_ db: Database) throws {
        // A hunt pilot and its ordered member lines (CUCM: hunt pilot + line group). The pilot shares the number
        // space of lines, pickup groups and park slots; the Store keeps them apart (Store+CallFeatures.swift).
        try db.create(table: "huntGroup") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("pilot", .text).notNull().unique()
            t.column("algorithm", .text).notNull().defaults(to: "top-down")
                .check(sql: "algorithm IN ('top-down', 'circular', 'longest-idle', 'broadcast')")
            t.column("noAnswerTimeoutSeconds", .integer).notNull().defaults(to: 10)
                .check(sql: "noAnswerTimeoutSeconds BETWEEN 1 AND 300")
            t.column("finalDestination", .text)
        }
        // Members are lines (by id, so that a renumbered line stays a member). A line that is a member cannot be
        // deleted (no ON DELETE action: the Store refuses first, with the groups named).
        try db.create(table: "huntGroupMember") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("huntGroupId", .integer).notNull().references("huntGroup", onDelete: .cascade)
            t.column("lineId", .integer).notNull().indexed().references("line")
            t.column("position", .integer).notNull().check(sql: "position >= 1")
            t.uniqueKey(["huntGroupId", "position"])
            t.uniqueKey(["huntGroupId", "lineId"])
        }

        try db.create(table: "pickupGroup") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("number", .text).notNull().unique()
        }
        // `lineId` is unique: a number belongs to at most one pickup group (CUCM's rule), enforced by the database
        // as well as checked (with the other group named) by the Store.
        try db.create(table: "pickupGroupMember") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("pickupGroupId", .integer).notNull().indexed().references("pickupGroup", onDelete: .cascade)
            t.column("lineId", .integer).notNull().unique().references("line")
        }

        try db.alter(table: "settings") { t in
            // Park is off while both are NULL; otherwise the first and last slot (digits of equal length).
            t.add(column: "parkFirstSlot", .integer)
            t.add(column: "parkLastSlot", .integer)
            t.add(column: "parkReversionSeconds", .integer).notNull().defaults(to: 60)
            t.add(column: "transferOnHook", .boolean).notNull().defaults(to: false)
            t.add(column: "doNotDisturbMode", .text).notNull().defaults(to: "ringer-off")
                .check(sql: "doNotDisturbMode IN ('ringer-off', 'reject')")
        }
        try db.alter(table: "line") { t in
            t.add(column: "messageWaiting", .boolean).notNull().defaults(to: false)
        }
        try db.alter(table: "device") { t in
            t.add(column: "doNotDisturb", .boolean).notNull().defaults(to: false)
        }
    }

    /// The CDR's call ID (every record of one call shares it), the number first reached, and how and by whom the call
    /// was moved to the party the record names.
    static func addCallRecordRedirects(_ db: Database) throws {
        try db.alter(table: "callDetailRecord") { t in
            t.add(column: "callId", .integer)
            t.add(column: "originalCalledNumber", .text)
            t.add(column: "redirectReason", .text)
                .check(
                    sql: """
                        redirectReason IN ('forward-all', 'forward-busy', 'forward-no-answer', 'hunt', 'pickup', \
                        'transfer', 'park')
                        """
                )
            t.add(column: "redirectingNumber", .text)
        }
        // "The story of a call": every record with one call ID, in order.
        try db.create(index: "callDetailRecord_on_callId", on: "callDetailRecord", columns: ["callId"])
    }
}
