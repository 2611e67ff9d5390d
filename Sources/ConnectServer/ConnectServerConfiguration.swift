/// Everything `connect-server` can be told; the defaults are the command's defaults.
public struct ConnectServerConfiguration: Sendable {
    /// The address to listen on.
    public var host = "127.0.0.1"
    /// The port to listen on; 0 picks a free one (tests).
    public var port = 8080
    /// The build output folder holding `.manifest.json`.
    public var publicDirectory = "public"
    /// The base URL the connect calls go to, e.g. `https://api.getdynamiq.ai`; its path is
    /// kept as a prefix. Nil answers every allowed call with 502 until one is given.
    public var upstream: String?
    /// How long an upstream call may take, start to end.
    public var upstreamTimeout: Duration = .seconds(30)
    /// How long connecting to the upstream may take.
    public var upstreamConnectTimeout: Duration = .seconds(5)
    /// Bytes of files held in memory; larger sites stream the rest from disk.
    public var cacheBytes = 64 * 1024 * 1024
    /// Proxied calls a client may make a minute; 0 turns the limit off.
    public var rateLimitPerMinute = 60
    /// Peers whose `X-Forwarded-*` headers are believed.
    public var trustedProxies: [String] = []
    /// Send `Strict-Transport-Security` (only when a TLS terminator is in front).
    public var hsts = false
    /// The largest request body forwarded upstream.
    public var maxBodyBytes = 64 * 1024
    /// Timeouts and limits of client connections (``ServerLimits`` has the defaults).
    public var limits = ServerLimits()
    /// How often to look for a new manifest.
    public var reloadInterval: Duration = .milliseconds(500)
    /// `--log-format`: lines for a terminal, or one JSON object a line for a log pipeline.
    public var logFormat = LogFormat.text
    /// `--metrics-port`: where `/metrics` listens; nil keeps no metrics at all.
    public var metricsPort: Int?
    /// `--metrics-host`: loopback, so that only the machine's own scraper sees the numbers.
    public var metricsHost = "127.0.0.1"
    /// Reload the manifest on `SIGHUP`. The executable sets it; tests in one process do not.
    public var reloadsOnHangup = false
    /// How long requests in flight may take to finish after SIGTERM or SIGINT.
    public var shutdownGracePeriod: Duration = .seconds(10)

    /// The docs' try-it against the embedded sandbox: demo credentials and the App host
    /// calls. Only the sandbox mode sets it: a server with a real upstream never has it.
    public var sandbox: (any DevelopmentSandbox)?

    /// Development mode (`build-site --serve`): answers `GET /_dev/site-version` for live
    /// reload. The production server never sets it.
    public var development = false

    /// Answer the common file requests in the channel, below Hummingbird (``SiteFastPath``).
    /// Always on in the product; tests turn it off to hold both paths to the same answers.
    var fastPath = true

    public init() {}

    /// The upstream URL without a trailing slash, so a route's path can follow it.
    var upstreamBase: String? {
        guard var url = upstream, !url.isEmpty else { return nil }
        while url.hasSuffix("/") { url.removeLast() }
        return url
    }
}

/// A configuration the server cannot run with.
public enum ConfigurationError: Error, CustomStringConvertible {
    case invalidUpstream(String)

    public var description: String {
        switch self {
        case .invalidUpstream(let url):
            "--upstream must be an http or https URL with a host, like https://api.getdynamiq.ai; got \(Redaction.url(url) ?? "")"
        }
    }
}
