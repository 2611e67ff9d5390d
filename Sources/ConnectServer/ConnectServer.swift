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
    /// Nil without `--metrics-port`: then nothing is counted.
    public let metrics: ServerMetrics?
    let readiness: Readiness

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
        let metrics = configuration.metricsPort == nil ? nil : ServerMetrics()
        self.metrics = metrics
        self.accessLog = AccessLog(logger: accessLogger ?? logger, format: configuration.logFormat, metrics: metrics)
        let security = SecurityHeaders(hsts: configuration.hsts)
        loader = SiteLoader(directory: configuration.publicDirectory, cacheBytes: configuration.cacheBytes, security: security)
        initialSignature = ManifestSignature.read(loader.manifestPath)
        store = SiteStore(try loader.load())
        var probe: UpstreamProbe?
        if let upstream = configuration.upstreamBase {
            guard let address = UpstreamAddress(upstream) else { throw ConfigurationError.invalidUpstream(upstream) }
            upstreamPools = try UpstreamPools(address: address, group: Self.eventLoopGroup,
                                              connectTimeout: .init(configuration.upstreamConnectTimeout), metrics: metrics)
            probe = UpstreamProbe(address: address, group: Self.eventLoopGroup)
        } else {
            upstreamPools = nil
        }
        readiness = Readiness(store: store, probe: probe, upstreamSetting: Redaction.url(configuration.upstreamBase))
    }

    /// Runs until SIGTERM or SIGINT, then lets requests in flight finish (up to the grace
    /// period), shuts the upstream client down and returns.
    /// - Parameters:
    ///   - companions: Services that live and stop with the server, e.g. the embedded
    ///     sandbox the executable points the upstream at.
    ///   - onListening: Called with the bound port once the server accepts connections.
    ///   - onMetricsListening: Called with the metrics listener's port, when there is one.
    public func run(companions: [any Service] = [], onListening: @escaping @Sendable (Int) async -> Void = { _ in },
                    onMetricsListening: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        try await withApplication(onServerRunning: { channel in
            await onListening(channel.localAddress?.port ?? 0)
        }) { application in
            var services = companions + [application]
            if let endpoint = metricsEndpoint, let port = self.configuration.metricsPort {
                services.append(endpoint.application(host: self.configuration.metricsHost, port: port, logger: logger,
                                                     onListening: onMetricsListening))
            }
            var configuration = ServiceGroupConfiguration(
                services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
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

extension ConnectServer {
    /// `/metrics`, when the configuration names a metrics port.
    var metricsEndpoint: MetricsEndpoint? {
        metrics.map { MetricsEndpoint(metrics: $0, readiness: readiness, pools: upstreamPools, store: store) }
    }
}

private extension ConnectServer {
    func makeApplication(onServerRunning: @escaping @Sendable (any Channel) async -> Void) -> Application<ConnectResponder> {
        let security = loader.security
        let responder = ConnectResponder(
            store: store, files: StaticFileResponder(security: security), security: security,
            accessLog: accessLog, readiness: readiness,
            sandbox: configuration.sandbox, development: configuration.development)
        let forwarder = ConnectForwarder.Configuration(
            policy: ProxyPolicy(rateLimiter: RateLimiter(perMinute: configuration.rateLimitPerMinute),
                                trustedProxies: Set(configuration.trustedProxies), maxBodyBytes: configuration.maxBodyBytes),
            pools: upstreamPools, timeout: .init(configuration.upstreamTimeout), security: security,
            accessLog: accessLog, logger: logger)
        let watcher = ManifestWatcher(loader: loader, store: store, interval: configuration.reloadInterval,
                                      logger: logger, initialSignature: initialSignature, metrics: metrics,
                                      reloadsOnHangup: configuration.reloadsOnHangup)
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
