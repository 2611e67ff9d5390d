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
    /// The upstream connections, kept per event loop; nil without `--upstream`.
    let upstreamPools: UpstreamPools?

    /// The threads that serve connections and hold the upstream connections.
    static let eventLoopGroup = MultiThreadedEventLoopGroup.singleton

    /// Loads the site, so that a missing or broken manifest stops the server before it listens.
    /// - Parameters:
    ///   - configuration: The options.
    ///   - logger: Where the server's own messages go.
    ///   - accessLogger: Where the one line per request goes; `logger` when nil.
    /// - Throws: ``SiteLoadError`` naming the file and saying to run `swift run build-site`;
    ///   ``ConfigurationError`` for an upstream that is not an http or https URL.
    public init(configuration: ConnectServerConfiguration, logger: Logger, accessLogger: Logger? = nil) throws {
        self.configuration = configuration
        self.logger = logger
        self.accessLog = AccessLog(logger: accessLogger ?? logger)
        let security = SecurityHeaders(hsts: configuration.hsts)
        loader = SiteLoader(directory: configuration.publicDirectory, cacheBytes: configuration.cacheBytes, security: security)
        initialSignature = ManifestSignature.read(loader.manifestPath)
        store = SiteStore(try loader.load())
        if let upstream = configuration.upstreamBase {
            guard let address = UpstreamAddress(upstream) else { throw ConfigurationError.invalidUpstream(upstream) }
            upstreamPools = try UpstreamPools(address: address, group: Self.eventLoopGroup,
                                              connectTimeout: .init(configuration.upstreamConnectTimeout))
        } else {
            upstreamPools = nil
        }
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

    /// Builds the application, hands it to `body` (which runs or tests it), and closes the
    /// idle upstream connections afterwards, whatever `body` did.
    public func withApplication<Value: Sendable>(
        onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in },
        _ body: (Application<ConnectResponder>) async throws -> Value
    ) async throws -> Value {
        let application = makeApplication(onServerRunning: onServerRunning)
        let value: Value
        do {
            value = try await body(application)
        } catch {
            await upstreamPools?.closeAll()
            throw error
        }
        await upstreamPools?.closeAll()
        return value
    }
}

private extension ConnectServer {
    func makeApplication(onServerRunning: @escaping @Sendable (any Channel) async -> Void) -> Application<ConnectResponder> {
        let security = loader.security
        let responder = ConnectResponder(
            store: store, files: StaticFileResponder(security: security), security: security,
            accessLog: accessLog, upstreamSetting: Redaction.url(configuration.upstreamBase),
            demoToken: configuration.demoToken, development: configuration.development)
        let forwarder = ConnectForwarder.Configuration(
            policy: ProxyPolicy(rateLimiter: RateLimiter(perMinute: configuration.rateLimitPerMinute),
                                trustedProxies: Set(configuration.trustedProxies), maxBodyBytes: configuration.maxBodyBytes),
            pools: upstreamPools, timeout: .init(configuration.upstreamTimeout), security: security,
            accessLog: accessLog, logger: logger)
        let watcher = ManifestWatcher(loader: loader, store: store, interval: configuration.reloadInterval,
                                      logger: logger, initialSignature: initialSignature)
        return Application(
            responder: responder,
            server: .connect(
                sequencer: .init(limits: configuration.limits, security: security, accessLog: accessLog),
                fastPath: .init(store: store, accessLog: accessLog, answersFiles: configuration.fastPath),
                forwarder: forwarder),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: nil, backlog: 1024),
            services: [watcher],
            onServerRunning: onServerRunning,
            eventLoopGroupProvider: .shared(Self.eventLoopGroup),
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
