import ArgumentParser
import ConnectSandbox
import Foundation
import Logging
import ServiceLifecycle

/// `connect-server sandbox`: the sandbox alone, for a backend's integration tests.
///
/// ```
/// $ swift run connect-server sandbox --sandbox-port 8081
/// Sandbox (Support Triage):
///   App base URL:  http://127.0.0.1:8081/apps/4f6e1c2a-....apps.us-east-1.getdynamiq.ai
/// ```
struct SandboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sandbox",
        abstract: "Run only the embedded sandbox of the platform's connect endpoints."
    )

    @OptionGroup var sandbox: SandboxOptions
    @Option(help: "Where the hosted connect page is, for the URL in each new token. (default: http://127.0.0.1:8080)")
    var site = "http://127.0.0.1:8080"
    @Option(help: "trace, debug, info, notice, warning, error or critical. (default: info)")
    var logLevel = "info"

    func run() async throws {
        bootstrapLogging(Logger.Level(rawValue: logLevel) ?? .info)
        let logger = Logger(label: "connect-sandbox")
        guard let siteURL = URLComponents(string: site), let host = siteURL.host else {
            throw ValidationError("--site must be a URL such as http://127.0.0.1:8080")
        }
        let sitePort = siteURL.port ?? 80
        let port = try FreePort.resolve(sandbox.resolvedPort(sitePort: 8080) ?? 8081)
        let launch = try await sandbox.launch(port: port, siteHost: host, sitePort: sitePort == 0 ? 8080 : sitePort, logger: logger)
        var configuration = ServiceGroupConfiguration(services: [launch.service], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        configuration.maximumGracefulShutdownDuration = .seconds(10)
        let banner = await launch.banner(site: site)
        FileHandle.standardOutput.write(Data("connect-server: sandbox at \(launch.baseURL)\n\(banner)".utf8))
        try await ServiceGroup(configuration: configuration).run()
    }
}
