import ArgumentParser
import ConnectServer
import Foundation
import Logging
import NIOCore

/// `connect-server`: serves `public/` and forwards the connect calls, to `--upstream` or,
/// with none named, to the embedded sandbox it starts beside itself.
///
/// ```
/// $ swift run connect-server --upstream https://api.getdynamiq.ai
/// connect-server: serving 42 files from public at http://127.0.0.1:8080/
/// $ swift run connect-server sandbox      # the sandbox alone, for backend tests
/// ```
@main
struct ConnectServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "connect-server",
        abstract: "Serve the built site and proxy the connect calls.",
        subcommands: [Serve.self, SandboxCommand.self],
        defaultSubcommand: Serve.self
    )
}

/// Every option has an environment twin (`--port` is `CONNECT_PORT`); a flag given on
/// the command line wins over the environment.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the built site and proxy the connect calls (the default).",
        discussion: "Each option has an environment twin: CONNECT_HOST, CONNECT_PORT, CONNECT_PUBLIC, CONNECT_UPSTREAM, CONNECT_UPSTREAM_TIMEOUT, CONNECT_CACHE_MB, CONNECT_RATE_LIMIT, CONNECT_TRUSTED_PROXY (comma-separated), CONNECT_HSTS (1 or true), CONNECT_HEADER_TIMEOUT, CONNECT_BODY_TIMEOUT, CONNECT_IDLE_TIMEOUT, CONNECT_SEND_TIMEOUT, CONNECT_MAX_CONNECTIONS, CONNECT_MAX_HEADERS, CONNECT_MAX_HEADER_KB, CONNECT_LOG_LEVEL, CONNECT_LOG_FORMAT, CONNECT_METRICS_PORT, CONNECT_METRICS_HOST, CONNECT_CONTENT, CONNECT_SANDBOX_DIR, CONNECT_SANDBOX_PORT."
    )

    @Option(help: "Address to listen on. (default: 127.0.0.1)")
    var host: String?
    @Option(help: "Port to listen on. (default: 8080)")
    var port: Int?
    @Option(name: .customLong("public"), help: "The folder build-site wrote, holding .manifest.json. (default: public)")
    var publicDirectory: String?
    @Option(help: "Base URL of the management API the /v1/connect/* calls go to; its path is kept.")
    var upstream: String?
    @Option(help: "Seconds an upstream call may take before the client gets 504. (default: 30)")
    var upstreamTimeout: Double?
    @Option(help: "Megabytes of files held in memory; larger files are streamed. (default: 64)")
    var cacheMb: Int?
    @Option(help: "Proxied calls per client IP a minute; 0 turns the limit off. (default: 60)")
    var rateLimit: Int?
    @Option(help: "A proxy whose X-Forwarded-* headers are believed (repeatable, IP address).")
    var trustedProxy: [String] = []
    @Flag(help: "Send Strict-Transport-Security (only behind TLS).")
    var hsts = false
    @Option(help: "Seconds a request head may take from its first byte; a new connection must send one within it. (default: 15)")
    var headerTimeout: Double?
    @Option(help: "Seconds a request body may pause between two reads. (default: 30)")
    var bodyTimeout: Double?
    @Option(help: "Seconds a kept-alive connection may wait for its next request. (default: 60)")
    var idleTimeout: Double?
    @Option(help: "Seconds an answer may wait for a client that does not read it. (default: 60)")
    var sendTimeout: Double?
    @Option(help: "Open client connections; past it, new ones wait to be accepted. (default: 4096, at most the descriptor limit less 256)")
    var maxConnections: Int?
    @Option(help: "Header lines a request may have; more is 431. (default: 100)")
    var maxHeaders: Int?
    @Option(help: "Kilobytes a request head may take; more is 431. (default: 32)")
    var maxHeaderKb: Int?
    @Option(help: "trace, debug, info, notice, warning, error or critical. (default: info)")
    var logLevel: String?
    @Option(help: "text (one line a request, for a terminal) or json (one object a line, for a log pipeline). (default: text)")
    var logFormat: String?
    @Option(help: "Port of a separate listener serving /metrics in Prometheus' text format; none when not given.")
    var metricsPort: Int?
    @Option(help: "Address of the metrics listener. (default: 127.0.0.1)")
    var metricsHost: String?
    @OptionGroup var sandbox: SandboxOptions
    @Flag(help: "Development only (build-site --serve): live reload at /_dev/site-version, new builds picked up at once.")
    var development = false

    func validate() throws {
        try sandbox.validate()
        if let upstream = resolvedUpstream {
            guard let url = URL(string: upstream), ["http", "https"].contains(url.scheme ?? ""), url.host != nil else {
                throw ValidationError("--upstream must be an http or https URL, got \(Redaction.url(upstream) ?? "")")
            }
        }
        if let level = logLevel ?? environment("LOG_LEVEL"), Logger.Level(rawValue: level) == nil {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical")
        }
        if let format = logFormat ?? environment("LOG_FORMAT"), LogFormat(rawValue: format) == nil {
            throw ValidationError("--log-format must be text or json, got \(format)")
        }
    }

    func run() async throws {
        let level = (logLevel ?? environment("LOG_LEVEL")).flatMap(Logger.Level.init(rawValue:)) ?? .info
        var configuration = try resolvedConfiguration()
        bootstrapLogging(level, format: configuration.logFormat)
        let logger = Logger(label: "connect-server")
        // With no upstream named, the sandbox runs beside the server on its own loopback
        // port and the proxy forwards to it, exactly as it would to the platform.
        var sandboxPort: Int?
        if configuration.upstream == nil {
            // Token URLs name the site's port, so a port of 0 is chosen now, not at bind.
            configuration.port = try FreePort.resolve(configuration.port)
            let port = try FreePort.resolve(sandbox.resolvedPort(sitePort: configuration.port) ?? 0)
            sandboxPort = port
            configuration.upstream = SandboxOptions.baseURL(port: port)
        }
        // The site first: a missing manifest stops the start before anything else is made.
        let embedded = EmbeddedSandbox()
        if sandboxPort != nil { configuration.sandbox = embedded }
        let server: ConnectServer
        do {
            server = try ConnectServer(configuration: configuration, logger: logger,
                                       accessLogger: Logger(label: "connect-server.access"))
        } catch {
            FileHandle.standardError.write(Data("connect-server: \(error)\n".utf8))
            throw ExitCode(1)
        }
        var launch: SandboxLaunch?
        if let sandboxPort {
            launch = try await sandbox.launch(port: sandboxPort, siteHost: configuration.host, sitePort: configuration.port, logger: logger)
            await embedded.use(launch!.sandbox)
        }
        let files = server.store.current.fileCount
        let (settings, sandboxLaunch) = (configuration, launch)
        let upstream = launch == nil ? Redaction.url(configuration.upstream) ?? "" : "the embedded sandbox at \(launch!.baseURL)"
        try await server.run(companions: sandboxLaunch.map { [$0.service] } ?? [], onListening: { port in
            let site = "http://\(settings.host):\(port)"
            var text = """
                connect-server: serving \(files) files from \(settings.publicDirectory) at \(site)/
                connect-server: upstream \(upstream); health at \(site)/healthz

                """
            if let sandboxLaunch { text += await sandboxLaunch.banner(site: site) }
            // Written straight to the descriptor, unbuffered, so `make serve` shows it at once.
            FileHandle.standardOutput.write(Data(text.utf8))
        }, onMetricsListening: { port in
            FileHandle.standardOutput.write(Data("connect-server: metrics at http://\(settings.metricsHost):\(port)/metrics\n".utf8))
        })
    }
}

private extension Serve {
    func environment(_ name: String) -> String? {
        ProcessInfo.processInfo.environment["CONNECT_" + name].flatMap { $0.isEmpty ? nil : $0 }
    }

    var resolvedUpstream: String? { upstream ?? environment("UPSTREAM") }

    func number<T: LosslessStringConvertible>(_ flag: T?, _ name: String, _ fallback: T) throws -> T {
        if let flag { return flag }
        guard let text = environment(name) else { return fallback }
        guard let value = T(text) else { throw ValidationError("CONNECT_\(name) is not a number: \(text)") }
        return value
    }

    func seconds(_ flag: Double?, _ name: String, _ fallback: TimeAmount) throws -> TimeAmount {
        let value = try number(flag, name, Double(fallback.nanoseconds) / 1e9)
        guard value > 0 else { throw ValidationError("timeouts must be more than 0 seconds; CONNECT_\(name) or its flag is \(value)") }
        return .milliseconds(Int64(value * 1000))
    }

    func positive(_ value: Int, _ flag: String) throws -> Int {
        guard value > 0 else { throw ValidationError("\(flag) must be at least 1, got \(value)") }
        return value
    }

    func resolvedConfiguration() throws -> ConnectServerConfiguration {
        var configuration = ConnectServerConfiguration()
        configuration.host = host ?? environment("HOST") ?? configuration.host
        configuration.port = try number(port, "PORT", configuration.port)
        configuration.publicDirectory = publicDirectory ?? environment("PUBLIC") ?? configuration.publicDirectory
        configuration.upstream = resolvedUpstream
        configuration.upstreamTimeout = .milliseconds(Int(try number(upstreamTimeout, "UPSTREAM_TIMEOUT", 30.0) * 1000))
        configuration.cacheBytes = try number(cacheMb, "CACHE_MB", 64) * 1024 * 1024
        configuration.rateLimitPerMinute = try number(rateLimit, "RATE_LIMIT", 60)
        configuration.trustedProxies = trustedProxy.isEmpty
            ? (environment("TRUSTED_PROXY") ?? "").split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
            : trustedProxy
        if development {
            configuration.development = true
            configuration.reloadInterval = .milliseconds(100)
        }
        configuration.logFormat = (logFormat ?? environment("LOG_FORMAT")).flatMap(LogFormat.init(rawValue:)) ?? .text
        if let port = try metricsPort ?? environment("METRICS_PORT").map({ text -> Int in
            guard let port = Int(text) else { throw ValidationError("CONNECT_METRICS_PORT is not a number: \(text)") }
            return port
        }) {
            guard (0...65535).contains(port) else { throw ValidationError("--metrics-port must be 0 to 65535, got \(port)") }
            configuration.metricsPort = port
        }
        configuration.metricsHost = metricsHost ?? environment("METRICS_HOST") ?? configuration.metricsHost
        configuration.reloadsOnHangup = true
        configuration.hsts = hsts || ["1", "true", "yes"].contains(environment("HSTS")?.lowercased() ?? "")
        var limits = configuration.limits
        limits.headerTimeout = try seconds(headerTimeout, "HEADER_TIMEOUT", limits.headerTimeout)
        limits.bodyTimeout = try seconds(bodyTimeout, "BODY_TIMEOUT", limits.bodyTimeout)
        limits.idleTimeout = try seconds(idleTimeout, "IDLE_TIMEOUT", limits.idleTimeout)
        limits.sendTimeout = try seconds(sendTimeout, "SEND_TIMEOUT", limits.sendTimeout)
        limits.maxHeaderCount = try positive(number(maxHeaders, "MAX_HEADERS", limits.maxHeaderCount), "--max-headers")
        limits.maxHeaderBytes = try positive(number(maxHeaderKb, "MAX_HEADER_KB", limits.maxHeaderBytes / 1024), "--max-header-kb") * 1024
        let descriptors = DescriptorLimit.raiseToHard()
        limits.maxConnections = try positive(number(maxConnections, "MAX_CONNECTIONS", min(limits.maxConnections, max(16, descriptors - 256))),
                                             "--max-connections")
        configuration.limits = limits
        return configuration
    }
}
