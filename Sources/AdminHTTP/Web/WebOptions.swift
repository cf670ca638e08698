public import Foundation

/// How the web administration behaves (``AdminRoutes/web``). The defaults suit `strowger serve`; the composition
/// root fills in what only it knows (the cnf.xml of a phone, the data directory, TLS).
public struct WebOptions: Sendable {
    /// Give the session cookie the `Secure` attribute: set when the admin port serves HTTPS (`--admin-tls`).
    public var secureCookies = false
    /// How long a session lasts however busy it is.
    public var sessionLifetime: Duration = .seconds(12 * 3600)
    /// How long a session lasts without a request.
    public var sessionIdleTimeout: Duration = .seconds(30 * 60)
    /// The `SEP<MAC>.cnf.xml` a phone fetches, by device name; nil when there is none. nil leaves the phone page
    /// without it.
    public var configurationFile: (@Sendable (String) async throws -> String?)?
    /// A directory on the file system the dashboard warns about when it fills up (the data directory); nil: none.
    public var dataDirectory: String?
    /// More warnings for the dashboard, each a sentence (a trunk that is down, once trunks exist).
    public var warningSources: [@Sendable () async -> [String]] = []
    /// The clock sessions expire by; tests move it.
    public var now: @Sendable () -> Date = { Date() }
    /// How often the dashboard's event stream sends the server's state.
    public var dashboardInterval: Duration = .seconds(1)
    /// Dashboard and presence-board streams open at once; more are refused (503) so that open browser tabs cannot
    /// tie the server up.
    public var maximumLiveStreams = 32
    /// The password hashes of web accounts.
    public var passwordHasher = PasswordHasher()

    public init() {}
}
