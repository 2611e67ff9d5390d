import AsyncHTTPClient
import Hummingbird
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle

/// The server: the site from `public/`'s manifest, and the proxy of the connect calls.
///
/// ```swift
/// var configuration = ConnectServerConfiguration()
/// configuration.upstream = "https://api.getdynamiq.ai"
/// let server = try ConnectServer(configuration: configuration, logger: logger)
/// try await server.run()   // until SIGTERM or SIGINT
/// ```
public struct ConnectServer: Sendable {
    public let configuration: ConnectServerConfiguration
    /// The site being served; replaced by the manifest watcher after each build.
    public let store: SiteStore
    let loader: SiteLoader
    let initialSignature: ManifestSignature?
    let logger: Logger
    let accessLog: AccessLog

    /// Loads the site, so that a missing or broken manifest stops the server before it listens.
    /// - Parameters:
    ///   - configuration: The options.
    ///   - logger: Where the server's own messages go.
    ///   - accessLogger: Where the one line per request goes; `logger` when nil.
    /// - Throws: ``SiteLoadError`` naming the file and saying to run `swift run build-site`.
    public init(configuration: ConnectServerConfiguration, logger: Logger, accessLogger: Logger? = nil) throws {
        self.configuration = configuration
        self.logger = logger
        self.accessLog = AccessLog(logger: accessLogger ?? logger)
        let security = SecurityHeaders(hsts: configuration.hsts)
        loader = SiteLoader(directory: configuration.publicDirectory, cacheBytes: configuration.cacheBytes, security: security)
        initialSignature = ManifestSignature.read(loader.manifestPath)
        store = SiteStore(try loader.load())
    }

    /// Runs until SIGTERM or SIGINT, then lets requests in flight finish (up to the grace
    /// period), shuts the upstream client down and returns.
    /// - Parameters:
    ///   - companions: Services that live and stop with the server, e.g. the embedded
    ///     sandbox the executable points the upstream at.
    ///   - onListening: Called with the bound port once the server accepts connections.
    public func run(companions: [any Service] = [], onListening: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        try await withApplication(onServerRunning: { channel in
            await onListening(channel.localAddress?.port ?? 0)
        }) { application in
            var configuration = ServiceGroupConfiguration(
                services: companions + [application], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
            configuration.maximumGracefulShutdownDuration = self.configuration.shutdownGracePeriod
            let group = ServiceGroup(configuration: configuration)
            try await group.run()
        }
    }

    /// Builds the application with its own upstream client, hands it to `body` (which runs
    /// or tests it), and shuts the client down afterwards, whatever `body` did.
    public func withApplication<Value: Sendable>(
        onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in },
        _ body: (Application<ConnectResponder>) async throws -> Value
    ) async throws -> Value {
        let client = makeClient()
        let application = makeApplication(client: client, onServerRunning: onServerRunning)
        let value: Value
        do {
            value = try await body(application)
        } catch {
            try? await client?.shutdown()
            throw error
        }
        try await client?.shutdown()
        return value
    }
}

private extension ConnectServer {
    /// One client for the server's life: redirects are never followed (the browser sees
    /// them as the upstream sent them), and connect and read timeouts keep a dead upstream
    /// from holding requests until their deadline.
    func makeClient() -> HTTPClient? {
        guard configuration.upstreamBase != nil else { return nil }
        var clientConfiguration = HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            timeout: .init(connect: .init(configuration.upstreamConnectTimeout), read: .init(configuration.upstreamTimeout))
        )
        clientConfiguration.decompression = .disabled
        // AsyncHTTPClient keeps 8 connections per host by default, which queued the proxy
        // behind 50 concurrent clients (BENCHMARKS.md); nginx's example keeps 64.
        clientConfiguration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 64)
        return HTTPClient(eventLoopGroup: MultiThreadedEventLoopGroup.singleton, configuration: clientConfiguration,
                          backgroundActivityLogger: logger)
    }

    func makeApplication(client: HTTPClient?, onServerRunning: @escaping @Sendable (any Channel) async -> Void)
        -> Application<ConnectResponder> {
        let security = loader.security
        let proxy = ConnectProxy(
            upstream: configuration.upstreamBase, client: client, timeout: .init(configuration.upstreamTimeout),
            maxBodyBytes: configuration.maxBodyBytes, rateLimiter: RateLimiter(perMinute: configuration.rateLimitPerMinute),
            trustedProxies: Set(configuration.trustedProxies), security: security, logger: logger)
        let responder = ConnectResponder(
            store: store, files: StaticFileResponder(security: security), proxy: proxy, security: security,
            accessLog: accessLog, upstreamSetting: HealthReport.withoutCredentials(configuration.upstreamBase),
            demoToken: configuration.demoToken, development: configuration.development)
        let watcher = ManifestWatcher(loader: loader, store: store, interval: configuration.reloadInterval,
                                      logger: logger, initialSignature: initialSignature)
        return Application(
            responder: responder,
            server: .connect(fastPath: .init(store: store, accessLog: accessLog, answersFiles: configuration.fastPath)),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: nil),
            services: [watcher],
            onServerRunning: onServerRunning,
            logger: logger
        )
    }
}

extension TimeAmount {
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        self = .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
