import ArgumentParser
import ConnectServer
import Foundation
import Logging

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
        discussion: "Each option has an environment twin: CONNECT_HOST, CONNECT_PORT, CONNECT_PUBLIC, CONNECT_UPSTREAM, CONNECT_UPSTREAM_TIMEOUT, CONNECT_CACHE_MB, CONNECT_RATE_LIMIT, CONNECT_TRUSTED_PROXY (comma-separated), CONNECT_HSTS (1 or true), CONNECT_LOG_LEVEL, CONNECT_CONTENT, CONNECT_SANDBOX_DIR, CONNECT_SANDBOX_PORT."
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
    @Option(help: "trace, debug, info, notice, warning, error or critical. (default: info)")
    var logLevel: String?
    @OptionGroup var sandbox: SandboxOptions
    @Flag(help: "Development only (build-site --serve): live reload at /_dev/site-version, new builds picked up at once.")
    var development = false

    func validate() throws {
        try sandbox.validate()
        if let upstream = resolvedUpstream {
            guard let url = URL(string: upstream), ["http", "https"].contains(url.scheme ?? ""), url.host != nil else {
                throw ValidationError("--upstream must be an http or https URL, got \(upstream)")
            }
        }
        if let level = logLevel ?? environment("LOG_LEVEL"), Logger.Level(rawValue: level) == nil {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical")
        }
    }

    func run() async throws {
        let level = (logLevel ?? environment("LOG_LEVEL")).flatMap(Logger.Level.init(rawValue:)) ?? .info
        bootstrapLogging(level)
        let logger = Logger(label: "connect-server")
        var configuration = try resolvedConfiguration()
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
        let demo = DemoTokens()
        if sandboxPort != nil { configuration.demoToken = { await demo.issue() } }
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
            await demo.use(launch!.sandbox)
        }
        let files = server.store.current.fileCount
        let (settings, sandboxLaunch) = (configuration, launch)
        let upstream = launch == nil ? configuration.upstream ?? "" : "the embedded sandbox at \(launch!.baseURL)"
        try await server.run(companions: sandboxLaunch.map { [$0.service] } ?? []) { port in
            let site = "http://\(settings.host):\(port)"
            var text = """
                connect-server: serving \(files) files from \(settings.publicDirectory) at \(site)/
                connect-server: upstream \(upstream); health at \(site)/healthz

                """
            if let sandboxLaunch { text += await sandboxLaunch.banner(site: site) }
            // Written straight to the descriptor, unbuffered, so `make serve` shows it at once.
            FileHandle.standardOutput.write(Data(text.utf8))
        }
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
        configuration.hsts = hsts || ["1", "true", "yes"].contains(environment("HSTS")?.lowercased() ?? "")
        return configuration
    }
}
