// The schema GRDB's migration DSL made for a new database, captured from main at a385a62 (the last commit before
// the migrations were rewritten as SQL for both backends), in the order SQLite recorded it. MigrationEquivalenceTests
// compares a database migrated today with this one. Never edit it: it is the reference.
enum LegacySchema {
    static let statements: [String] = [
        #"""
        CREATE TABLE "user" ("id" INTEGER PRIMARY KEY AUTOINCREMENT, "name" TEXT NOT NULL UNIQUE COLLATE NOCASE, "displayName" TEXT NOT NULL DEFAULT '', "capabilities" INTEGER NOT NULL DEFAULT 1, "presenceVisibility" TEXT NOT NULL CHECK (presenceVisibility IN ('everyone', 'nobody', 'allowList')) DEFAULT 'everyone', "presenceAllowList" TEXT NOT NULL DEFAULT '[]', "presenceStatus" TEXT NOT NULL CHECK (presenceStatus IN ('available', 'away', 'busy', 'dnd')) DEFAULT 'available', "presenceNote" TEXT NOT NULL DEFAULT '')
        """#,
        #"""
        CREATE TABLE "device" ("id" INTEGER PRIMARY KEY AUTOINCREMENT, "name" TEXT NOT NULL UNIQUE COLLATE NOCASE, "model" TEXT NOT NULL DEFAULT '', "description" TEXT NOT NULL DEFAULT '', "ownerId" INTEGER REFERENCES "user"("id") ON DELETE SET NULL, "maxProtocolVersion" INTEGER CHECK (maxProtocolVersion BETWEEN 1 AND 255), "callManagerGroup" TEXT, "isAutoRegistered" BOOLEAN NOT NULL DEFAULT 0, "securityMode" TEXT NOT NULL CHECK (securityMode IN ('non-secure', 'authenticated', 'encrypted')) DEFAULT 'non-secure', "requiresClientCertificate" BOOLEAN NOT NULL DEFAULT 0, "loadInformation" TEXT, "musicSource" TEXT REFERENCES "musicSource"("name") ON DELETE RESTRICT ON UPDATE CASCADE, "doNotDisturb" BOOLEAN NOT NULL DEFAULT 0, "lastRegisteredAt" INTEGER, "softkeyTemplate" TEXT REFERENCES "softkeyTemplate"("name") ON DELETE RESTRICT ON UPDATE CASCADE)
        """#,
        #"""
        CREATE INDEX "device_on_ownerId" ON "device"("ownerId")
        """#,
        #"""
        CREATE TABLE "line" ("id" INTEGER PRIMARY KEY AUTOINCREMENT, "number" TEXT NOT NULL UNIQUE, "displayName" TEXT NOT NULL DEFAULT '', "forwardAll" TEXT, "forwardBusy" TEXT, "forwardNoAnswer" TEXT, "noAnswerTimeoutSeconds" INTEGER NOT NULL DEFAULT 12, "maxCalls" INTEGER NOT NULL DEFAULT 2, "busyTrigger" INTEGER NOT NULL DEFAULT 2, "voicemailNumber" TEXT, "musicSource" TEXT REFERENCES "musicSource"("name") ON DELETE RESTRICT ON UPDATE CASCADE, "messageWaiting" BOOLEAN NOT NULL DEFAULT 0, CHECK (maxCalls >= 1 AND busyTrigger BETWEEN 1 AND maxCalls))
        """#,
        #"""
        CREATE TABLE "lineAppearance" ("id" INTEGER PRIMARY KEY AUTOINCREMENT, "deviceId" INTEGER NOT NULL REFERENCES "device"("id") ON DELETE CASCADE, "lineId" INTEGER NOT NULL REFERENCES "line"("id") ON DELETE CASCADE, "position" INTEGER NOT NULL CHECK (position >= 1), UNIQUE ("deviceId", "position"), UNIQUE ("deviceId", "lineId"))
        """#,
        #"""
        CREATE INDEX "lineAppearance_on_lineId" ON "lineAppearance"("lineId")
        """#,
        #"""
        CREATE TABLE "speedDial" ("id" INTEGER PRIMARY KEY AUTOINCREMENT, "deviceId" INTEGER NOT NULL REFERENCES "device"("id") ON DELETE CASCADE, "buttonIndex" INTEGER NOT NULL CHECK (buttonIndex >= 1), "number" TEXT NOT NULL, "label" TEXT NOT NULL DEFAULT '', "isBusyLampField" BOOLEAN NOT NULL DEFAULT 0, UNIQUE ("deviceId", "buttonIndex"))
        """#,
        #"""
        CREATE TABLE "settings" ("id" INTEGER PRIMARY KEY ON CONFLICT REPLACE CHECK (id = 1), "autoRegistrationEnabled" BOOLEAN NOT NULL DEFAULT 1, "autoRegistrationFirstNumber" INTEGER NOT NULL DEFAULT 1000, "autoRegistrationLastNumber" INTEGER NOT NULL DEFAULT 1999, "autoRegistrationMaxCalls" INTEGER NOT NULL DEFAULT 2, "autoRegistrationBusyTrigger" INTEGER NOT NULL DEFAULT 2, "keepAliveSeconds" INTEGER NOT NULL DEFAULT 30, "offHookTimeoutMilliseconds" INTEGER NOT NULL DEFAULT 15000, "interdigitTimeoutMilliseconds" INTEGER NOT NULL DEFAULT 5000, "failedCallTimeoutMilliseconds" INTEGER NOT NULL DEFAULT 15000, "packetMilliseconds" INTEGER NOT NULL DEFAULT 20, "dateTemplate" TEXT NOT NULL DEFAULT 'D.M.Y', "timeZone" TEXT NOT NULL DEFAULT 'Greenwich Standard/Daylight Time', "olsonTimeZone" TEXT, "ntpServers" TEXT NOT NULL DEFAULT '[]', "userLocale" TEXT, "networkLocale" TEXT, "parkFirstSlot" INTEGER, "parkLastSlot" INTEGER, "parkReversionSeconds" INTEGER NOT NULL DEFAULT 60, "transferOnHook" BOOLEAN NOT NULL DEFAULT 0, "doNotDisturbMode" TEXT NOT NULL CHECK (doNotDisturbMode IN ('ringer-off', 'reject')) DEFAULT 'ringer-off')
        """#,
        #"""
        CREATE TABLE "adminToken" ("id" INTEGER PRIMARY KEY AUTOINCREMENT, "name" TEXT NOT NULL UNIQUE, "salt" BLOB NOT NULL, "hash" BLOB NOT NULL, "createdAt" INTEGER NOT NULL)
        """#,
        #"""
        CREATE TABLE "callDetailRecord" ("id" INTEGER PRIMARY KEY AUTOINCREMENT, "callingDevice" TEXT NOT NULL, "callingNumber" TEXT NOT NULL, "callingReference" INTEGER NOT NULL, "dialedNumber" TEXT NOT NULL, "calledNumber" TEXT, "calledDevice" TEXT, "calledReference" INTEGER, "setupTime" INTEGER NOT NULL, "answerTime" INTEGER, "endTime" INTEGER NOT NULL, "endCause" TEXT NOT NULL, "releasedBy" TEXT NOT NULL, "codec" TEXT, "callId" INTEGER, "originalCalledNumber" TEXT, "redirectReason" TEXT CHECK (redirectReason IN ('forward-all', 'forward-busy', 'forward-no-answer', 'hunt', 'pickup', 'transfer', 'park')), "redirectingNumber" TEXT, "trunk" TEXT, "sipStatus" INTEGER CHECK (sipStatus BETWEEN 100 AND 699))
        """#,
        #"""
        CREATE INDEX "callDetailRecord_on_setupTime" ON "callDetailRecord"("setupTime")
        """#,
        #"""
        CREATE INDEX "callDetailRecord_on_callingNumber_setupTime" ON "callDetailRecord"("callingNumber", "setupTime")
        """#,
        #"""
        CREATE INDEX "callDetailRecord_on_calledNumber_setupTime" ON "callDetailRecord"("calledNumber", "setupTime")
        """#,
        #"""
        CREATE TABLE "callManagerGroup" ("name" TEXT PRIMARY KEY NOT NULL COLLATE NOCASE, "members" TEXT NOT NULL DEFAULT '[]')
        """#,
        #"""
        CREATE TABLE "trunk" ("name" TEXT PRIMARY KEY NOT NULL COLLATE NOCASE, "host" TEXT NOT NULL, "port" INTEGER CHECK (port BETWEEN 1 AND 65535), "transport" TEXT NOT NULL CHECK (transport IN ('udp', 'tcp', 'tls')) DEFAULT 'udp', "registrationUser" TEXT, "registrationPassword" TEXT, "fromDomain" TEXT, "acceptsInboundCredentials" BOOLEAN NOT NULL DEFAULT 0, "inboundStrip" INTEGER NOT NULL DEFAULT 0, "inboundPrefix" TEXT NOT NULL DEFAULT '', "defaultNumber" TEXT, "description" TEXT NOT NULL DEFAULT '', "maxCalls" INTEGER CHECK (maxCalls > 0), CHECK ((registrationUser IS NULL) = (registrationPassword IS NULL)))
        """#,
        #"""
        CREATE TABLE "routePattern" ("id" INTEGER PRIMARY KEY AUTOINCREMENT, "pattern" TEXT NOT NULL UNIQUE, "targetNumber" TEXT, "isBlocked" BOOLEAN NOT NULL DEFAULT 0, "trunkName" TEXT REFERENCES "trunk"("name") ON DELETE RESTRICT ON UPDATE CASCADE, "stripPreDot" BOOLEAN NOT NULL DEFAULT 0, "prefix" TEXT NOT NULL DEFAULT '', "description" TEXT NOT NULL DEFAULT '', "sortOrder" INTEGER NOT NULL DEFAULT 0, CHECK ((isBlocked = 1) + (targetNumber IS NOT NULL) + (trunkName IS NOT NULL) = 1))
        """#,
        #"""
        CREATE INDEX "routePatternWithTrunks_on_trunkName" ON "routePattern"("trunkName")
        """#,
        #"""
        CREATE TABLE "musicSource" ("name" TEXT PRIMARY KEY NOT NULL COLLATE NOCASE, "fileName" TEXT NOT NULL DEFAULT '', "sampleCount" INTEGER NOT NULL DEFAULT 0, "createdAt" INTEGER NOT NULL DEFAULT 0, "isBuiltIn" BOOLEAN NOT NULL DEFAULT 0)
        """#,
        #"""
        CREATE TABLE "meetMeRange" ("first" TEXT PRIMARY KEY NOT NULL, "last" TEXT NOT NULL)
        """#,
        #"""
        CREATE TABLE "huntGroup" ("id" INTEGER PRIMARY KEY AUTOINCREMENT, "pilot" TEXT NOT NULL UNIQUE, "algorithm" TEXT NOT NULL CHECK (algorithm IN ('top-down', 'circular', 'longest-idle', 'broadcast')) DEFAULT 'top-down', "noAnswerTimeoutSeconds" INTEGER NOT NULL CHECK (noAnswerTimeoutSeconds BETWEEN 1 AND 300) DEFAULT 10, "finalDestination" TEXT)
        """#,
        #"""
        CREATE TABLE "huntGroupMember" ("id" INTEGER PRIMARY KEY AUTOINCREMENT, "huntGroupId" INTEGER NOT NULL REFERENCES "huntGroup"("id") ON DELETE CASCADE, "lineId" INTEGER NOT NULL REFERENCES "line"("id"), "position" INTEGER NOT NULL CHECK (position >= 1), UNIQUE ("huntGroupId", "position"), UNIQUE ("huntGroupId", "lineId"))
        """#,
        #"""
        CREATE INDEX "huntGroupMember_on_lineId" ON "huntGroupMember"("lineId")
        """#,
        #"""
        CREATE TABLE "pickupGroup" ("id" INTEGER PRIMARY KEY AUTOINCREMENT, "number" TEXT NOT NULL UNIQUE)
        """#,
        #"""
        CREATE TABLE "pickupGroupMember" ("id" INTEGER PRIMARY KEY AUTOINCREMENT, "pickupGroupId" INTEGER NOT NULL REFERENCES "pickupGroup"("id") ON DELETE CASCADE, "lineId" INTEGER NOT NULL UNIQUE REFERENCES "line"("id"))
        """#,
        #"""
        CREATE INDEX "pickupGroupMember_on_pickupGroupId" ON "pickupGroupMember"("pickupGroupId")
        """#,
        #"""
        CREATE INDEX "callDetailRecord_on_callId" ON "callDetailRecord"("callId")
        """#,
        #"""
        CREATE TABLE "phoneModel" ("model" TEXT PRIMARY KEY NOT NULL COLLATE NOCASE, "loadInformation" TEXT, "trustListDigest" TEXT CHECK (trustListDigest IN ('sha1', 'sha512')))
        """#,
        #"""
        CREATE TABLE "webAccount" ("id" INTEGER PRIMARY KEY AUTOINCREMENT, "name" TEXT NOT NULL UNIQUE COLLATE NOCASE, "passwordHash" TEXT NOT NULL, "createdAt" INTEGER NOT NULL)
        """#,
        #"""
        CREATE TABLE "webSession" ("id" TEXT PRIMARY KEY NOT NULL, "account" TEXT NOT NULL COLLATE NOCASE, "csrfToken" TEXT NOT NULL, "createdAt" INTEGER NOT NULL, "lastSeenAt" INTEGER NOT NULL, "expiresAt" INTEGER NOT NULL)
        """#,
        #"""
        CREATE INDEX "webSession_on_account" ON "webSession"("account")
        """#,
        #"""
        CREATE INDEX "webSession_on_expiresAt" ON "webSession"("expiresAt")
        """#,
        #"""
        CREATE INDEX "device_on_model_name" ON "device"("model", "name")
        """#,
        #"""
        CREATE INDEX "device_on_description_name" ON "device"("description", "name")
        """#,
        #"""
        CREATE INDEX "line_on_displayName_number" ON "line"("displayName", "number")
        """#,
        #"""
        CREATE INDEX "user_on_displayName_name" ON "user"("displayName", "name")
        """#,
        #"""
        CREATE INDEX "callDetailRecord_on_callingDevice_setupTime" ON "callDetailRecord"("callingDevice", "setupTime")
        """#,
        #"""
        CREATE INDEX "callDetailRecord_on_calledDevice_setupTime" ON "callDetailRecord"("calledDevice", "setupTime")
        """#,
        #"""
        CREATE TABLE "softkeyTemplate" ("name" TEXT PRIMARY KEY NOT NULL COLLATE NOCASE, "sets" TEXT NOT NULL)
        """#,
        #"""
        CREATE TABLE "node" ("name" TEXT PRIMARY KEY NOT NULL COLLATE NOCASE, "address" TEXT NOT NULL UNIQUE)
        """#,
    ]
}
