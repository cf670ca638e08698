import Foundation
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import PostgresNIO

/// Where a cluster's shared database is: `postgres://USER@HOST[:PORT]/DATABASE[?sslmode=…]`.
///
/// The password is never part of the URL (a URL ends up in process listings, shell histories and logs): it comes
/// from a file or the `PGPASSWORD` environment variable (``StrowgerDatabase/postgres(url:password:)``).
public struct PostgresURL: Sendable, Hashable, CustomStringConvertible {
    /// How the connection is protected, as libpq's `sslmode` names it.
    public enum TLSMode: String, Sendable, Hashable {
        /// Plain TCP: only on loopback or a network that is itself protected.
        case disable
        /// TLS if the server offers it, without checking its certificate (libpq's default).
        case prefer
        /// TLS or no connection, without checking the server's certificate: encrypted, not authenticated.
        case require
        /// TLS, and the server's certificate must chain to a trusted root and name the host.
        case verifyFull = "verify-full"
    }

    public var user: String
    public var host: String
    public var port: Int
    public var database: String
    public var tlsMode: TLSMode
    /// A PEM file of the roots to trust for `verify-full` (`sslrootcert=`); nil: the system's roots.
    public var rootCertificateFile: String?

    public init(
        user: String,
        host: String,
        port: Int = 5432,
        database: String,
        tlsMode: TLSMode = .prefer,
        rootCertificateFile: String? = nil
    ) {
        self.user = user
        self.host = host
        self.port = port
        self.database = database
        self.tlsMode = tlsMode
        self.rootCertificateFile = rootCertificateFile
    }

    /// Parses `postgres://USER@HOST[:PORT]/DATABASE[?sslmode=disable|prefer|require|verify-full&sslrootcert=F]`
    /// (`postgresql://` too). Throws ``StoreError`` naming what is wrong; a URL with a password is refused.
    public init(parsing text: String) throws {
        guard let components = URLComponents(string: text),
            let scheme = components.scheme?.lowercased(), scheme == "postgres" || scheme == "postgresql"
        else {
            throw StoreError.invalidValue(
                "database",
                "expected postgres://USER@HOST[:PORT]/DATABASE, got '\(Self.redacted(text))'"
            )
        }
        guard components.password == nil else {
            throw StoreError.invalidValue(
                "database",
                "put the database password in a file (--database-password-file) or PGPASSWORD, not in the URL"
            )
        }
        guard let user = components.user, !user.isEmpty else {
            throw StoreError.invalidValue("database", "the URL names no user (postgres://USER@HOST/DATABASE)")
        }
        guard let host = components.host, !host.isEmpty else {
            throw StoreError.invalidValue("database", "the URL names no host (postgres://USER@HOST/DATABASE)")
        }
        let database = String(components.path.drop { $0 == "/" })
        guard !database.isEmpty, !database.contains("/") else {
            throw StoreError.invalidValue("database", "the URL names no database (postgres://USER@HOST/DATABASE)")
        }
        if let port = components.port, !(1...65_535).contains(port) {
            throw StoreError.invalidValue("database", "port \(port) is not between 1 and 65535")
        }
        var tlsMode = TLSMode.prefer
        var rootCertificateFile: String?
        for item in components.queryItems ?? [] {
            switch item.name {
            case "sslmode":
                guard let value = item.value, let mode = TLSMode(rawValue: value) else {
                    throw StoreError.invalidValue(
                        "database",
                        "sslmode must be disable, prefer, require or verify-full, not '\(item.value ?? "")'"
                    )
                }
                tlsMode = mode
            case "sslrootcert":
                rootCertificateFile = item.value
            default:
                throw StoreError.invalidValue("database", "unknown URL parameter '\(item.name)' (sslmode, sslrootcert)")
            }
        }
        self.init(
            user: user,
            host: host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host,
            port: components.port ?? 5432,
            database: database,
            tlsMode: tlsMode,
            rootCertificateFile: rootCertificateFile
        )
    }

    /// The URL, which never holds a password, so it may be logged.
    public var description: String {
        let hostPart = host.contains(":") ? "[\(host)]" : host
        return "postgres://\(user)@\(hostPart):\(port)/\(database)?sslmode=\(tlsMode.rawValue)"
    }

    /// The same server, another database (tests create one per test; the administration database is `postgres`).
    public func with(database: String) -> PostgresURL {
        var copy = self
        copy.database = database
        return copy
    }

    /// `text` with anything between `://` and `@` hidden, for an error message about a URL that did not parse.
    private static func redacted(_ text: String) -> String {
        guard let schemeEnd = text.range(of: "://"), let at = text[schemeEnd.upperBound...].firstIndex(of: "@")
        else { return text }
        return String(text[..<schemeEnd.upperBound]) + "…" + String(text[at...])
    }

    func configuration(password: String?) throws -> PostgresConnection.Configuration {
        let tls: PostgresConnection.Configuration.TLS
        switch tlsMode {
        case .disable:
            tls = .disable
        case .prefer, .require:
            var settings = TLSConfiguration.makeClientConfiguration()
            settings.certificateVerification = .none
            let context = try NIOSSLContext(configuration: settings)
            tls = tlsMode == .prefer ? .prefer(context) : .require(context)
        case .verifyFull:
            var settings = TLSConfiguration.makeClientConfiguration()
            settings.certificateVerification = .fullVerification
            if let rootCertificateFile {
                settings.trustRoots = .file(rootCertificateFile)
            }
            tls = .require(try NIOSSLContext(configuration: settings))
        }
        var configuration = PostgresConnection.Configuration(
            host: host,
            port: port,
            username: user,
            password: password,
            database: database,
            tls: tls
        )
        configuration.options.connectTimeout = .seconds(10)
        if tlsMode == .verifyFull { configuration.options.tlsServerName = host }
        return configuration
    }
}

/// One connection to PostgreSQL used synchronously from one thread (a backend's queue), which waits for each
/// statement's result: the Store's queries are plain synchronous code (``SQLConnection``). The waiting thread is a
/// Dispatch queue's, never an event loop's (NIO refuses that) nor a cooperative thread's.
///
/// Not thread-safe: it belongs to the queue that created it.
final class PostgresSQLConnection: SQLConnection, @unchecked Sendable {
    let connection: PostgresConnection
    private let logger: Logger
    /// The transaction's `afterCommit` actions, in the order they were added.
    private(set) var pendingActions: [@Sendable () -> Void] = []
    /// The first statement that failed in the current transaction. PostgreSQL refuses every later statement and
    /// turns COMMIT into a rollback, so a body that caught the error must not be reported as committed.
    private(set) var failure: SQLError?
    /// How long one statement may take before the connection is given up (a server that stopped answering).
    static let statementDeadline: TimeAmount = .seconds(60)

    var dialect: SQLDialect { .postgres }

    private init(connection: PostgresConnection, logger: Logger) {
        self.connection = connection
        self.logger = logger
    }

    /// Connects, waiting on the calling (non-event-loop) thread.
    static func connect(
        url: PostgresURL,
        password: String?,
        group: any EventLoopGroup,
        logger: Logger
    ) throws -> PostgresSQLConnection {
        let configuration: PostgresConnection.Configuration
        do {
            configuration = try url.configuration(password: password)
        } catch {
            throw SQLError(.other, "TLS settings for \(url): \(error)")
        }
        let connection: PostgresConnection
        do {
            connection = try PostgresConnection.connect(
                on: group.next(),
                configuration: configuration,
                id: Int.random(in: 1...Int(Int32.max)),
                logger: logger
            ).wait()
        } catch {
            throw Self.mapped(error, context: "connecting to \(url)")
        }
        return PostgresSQLConnection(connection: connection, logger: logger)
    }

    var isClosed: Bool { connection.isClosed }

    /// Closes the connection and waits until it is closed (postgres-nio requires a connection to be closed before it
    /// is released). An error means it was closed already.
    func close() {
        let closed: EventLoopFuture<Void> = connection.close()
        try? closed.wait()
    }

    /// Starts a transaction: clears what the previous one left.
    func begin(_ statement: String) throws {
        pendingActions = []
        failure = nil
        try execute(statement, [])
    }

    /// Commits; throws the failure a statement had if the body went on after it (PostgreSQL rolled back).
    func commit() throws {
        if let failure {
            try? rollback()
            throw failure
        }
        let result = try run("COMMIT", [])
        // COMMIT of a transaction that failed answers ROLLBACK rather than an error.
        if result.metadata.command == "ROLLBACK" {
            throw failure ?? SQLError(.other, "PostgreSQL rolled the transaction back")
        }
    }

    func rollback() throws {
        pendingActions = []
        _ = try run("ROLLBACK", [])
    }

    func execute(_ sql: String, _ arguments: [SQLValue]) throws {
        _ = try run(sql, arguments)
    }

    func fetchAll(_ sql: String, _ arguments: [SQLValue]) throws -> [SQLRow] {
        let result = try run(sql, arguments)
        guard let first = result.rows.first else { return [] }
        let columns = SQLColumns(first.map(\.columnName))
        return try result.rows.map { row in
            SQLRow(columns: columns, values: try row.map(Self.value(of:)))
        }
    }

    func afterCommit(_ action: @escaping @Sendable () -> Void) {
        pendingActions.append(action)
    }

    private func run(_ sql: String, _ arguments: [SQLValue]) throws -> PostgresQueryResult {
        var bindings = PostgresBindings(capacity: arguments.count)
        for argument in arguments {
            switch argument {
            case .null: bindings.appendNull()
            case .integer(let value): bindings.append(value)
            case .real(let value): bindings.append(value)
            case .text(let value): bindings.append(UntypedText(value))
            case .blob(let bytes): bindings.append(ByteBuffer(bytes: bytes))
            }
        }
        let query = PostgresQuery(unsafeSQL: numberingPlaceholders(sql), binds: bindings)
        let future = connection.query(query, logger: logger)
        // A deadline on the wait: a server that stops answering costs this transaction, not the writer forever.
        let deadline = connection.eventLoop.scheduleTask(in: Self.statementDeadline) { [connection] in
            connection.close().whenComplete { _ in }
        }
        defer { deadline.cancel() }
        do {
            return try future.wait()
        } catch {
            let mapped = Self.mapped(error, context: nil)
            if failure == nil { failure = mapped }
            throw mapped
        }
    }

    /// A column value by its type's OID (results come in PostgreSQL's binary format).
    static func value(of cell: PostgresCell) throws -> SQLValue {
        guard var bytes = cell.bytes else { return .null }
        switch cell.dataType {
        case .int2:
            guard let value = bytes.readInteger(as: Int16.self) else { throw undecodable(cell) }
            return .integer(Int64(value))
        case .int4:
            guard let value = bytes.readInteger(as: Int32.self) else { throw undecodable(cell) }
            return .integer(Int64(value))
        case .int8:
            guard let value = bytes.readInteger(as: Int64.self) else { throw undecodable(cell) }
            return .integer(value)
        case .oid:
            guard let value = bytes.readInteger(as: UInt32.self) else { throw undecodable(cell) }
            return .integer(Int64(value))
        case .bool:
            guard let value = bytes.readInteger(as: UInt8.self) else { throw undecodable(cell) }
            return .integer(value == 0 ? 0 : 1)
        case .float4:
            guard let value = bytes.readInteger(as: UInt32.self) else { throw undecodable(cell) }
            return .real(Double(Float(bitPattern: value)))
        case .float8:
            guard let value = bytes.readInteger(as: UInt64.self) else { throw undecodable(cell) }
            return .real(Double(bitPattern: value))
        case .numeric:
            // A SUM or AVG of integers: exact, as text (Int64(sqlValue:) and Double(sqlValue:) parse it).
            guard let value = try? cell.decode(Decimal.self) else { throw undecodable(cell) }
            return .text("\(value)")
        case .bytea:
            return .blob(bytes.readBytes(length: bytes.readableBytes) ?? [])
        default:
            // text, varchar, name, and types without a fixed OID (citext): UTF-8 in the binary format too.
            return .text(bytes.readString(length: bytes.readableBytes) ?? "")
        }
    }

    private static func undecodable(_ cell: PostgresCell) -> SQLError {
        SQLError(.other, "column \(cell.columnName) of type \(cell.dataType) could not be read")
    }

    /// PostgreSQL's errors as ``SQLError``: SQLSTATE class 23 is a broken constraint, 40001 and 40P01 a
    /// serialization failure or deadlock to retry; the message is PostgreSQL's own.
    static func mapped(_ error: any Error, context: String?) -> SQLError {
        if let error = error as? SQLError { return error }
        let prefix = context.map { "\($0): " } ?? ""
        guard let error = error as? PSQLError else {
            return SQLError(.other, prefix + "\(error)")
        }
        guard let info = error.serverInfo, let state = info[.sqlState] else {
            // The connection, not the SQL: closed, refused, TLS, authentication.
            let underlying = error.underlying.map { ": \($0)" } ?? ""
            return SQLError(.other, prefix + "PostgreSQL connection: \(error.code)\(underlying)")
        }
        var message = info[.message] ?? "error \(state)"
        if let detail = info[.detail] { message += " (\(detail))" }
        let kind: SQLError.Kind =
            if state.hasPrefix("23") {
                .constraint
            } else if state == "40001" || state == "40P01" {
                .serialization
            } else {
                .other
            }
        return SQLError(kind, prefix + message + " [SQLSTATE \(state)]")
    }
}

/// Text bound without a type, as a quoted literal is: PostgreSQL takes the type from where the parameter is used.
/// Typed `text`, `citext_column = $1` would resolve to text's case-sensitive `=`; untyped it is citext's, so a name
/// compares without regard to case on PostgreSQL as it does under SQLite's NOCASE.
private struct UntypedText: PostgresNonThrowingEncodable {
    let text: String

    init(_ text: String) {
        self.text = text
    }

    static var psqlType: PostgresDataType { .null }
    /// The text format: the server parses the value as it would a literal of the type it infers.
    static var psqlFormat: PostgresFormat { .text }

    func encode<JSONEncoder: PostgresJSONEncoder>(
        into byteBuffer: inout ByteBuffer,
        context: PostgresEncodingContext<JSONEncoder>
    ) {
        byteBuffer.writeString(text)
    }
}
