import ArgumentParser
import ConnectAPI
import ConnectSandbox
import ConnectServer
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle

/// The options of the embedded sandbox, shared by `serve` and `sandbox`.
struct SandboxOptions: ParsableArguments {
    @Option(help: "The content folder holding sandbox.yaml and connection-types.yaml. (default: content)")
    var content: String?
    @Option(help: "The sandbox's data folder: its keys and its SQLite file. (default: .sandbox)")
    var sandboxDir: String?
    @Option(help: "The sandbox's loopback port; 0 picks a free one. (default: the site's port + 1)")
    var sandboxPort: Int?

    func validate() throws {
        if let port = resolvedPort(sitePort: 8080), !(0...65535).contains(port) {
            throw ValidationError("--sandbox-port must be from 0 to 65535")
        }
    }

    func resolvedPort(sitePort: Int) -> Int? {
        if let sandboxPort { return sandboxPort }
        if let text = environment("SANDBOX_PORT") { return Int(text) }
        return sitePort == 0 ? 0 : sitePort + 1
    }

    func environment(_ name: String) -> String? {
        ProcessInfo.processInfo.environment["CONNECT_" + name].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The sandbox's address; it listens on loopback only.
    static func baseURL(port: Int) -> String { "http://127.0.0.1:\(port)" }

    /// Opens the sandbox and readies it to serve on loopback.
    /// - Parameters:
    ///   - siteHost, sitePort: Where the connect page is served, for the URLs in tokens
    ///     (a real port: resolve 0 first).
    func launch(port: Int, siteHost: String, sitePort: Int, logger: Logger) async throws -> SandboxLaunch {
        let baseURL = Self.baseURL(port: port)
        let options = Sandbox.Options(
            content: URL(fileURLWithPath: content ?? environment("CONTENT") ?? "content"),
            dataFolder: sandboxDir ?? environment("SANDBOX_DIR") ?? ".sandbox",
            publicURL: baseURL,
            connectPageURL: "http://\(siteHost):\(sitePort)/connect/")
        do {
            let sandbox = try await Sandbox.open(options)
            return SandboxLaunch(sandbox: sandbox, baseURL: baseURL,
                                 service: sandbox.application(host: "127.0.0.1", port: port, logger: logger))
        } catch let problem as ContentProblem {
            FileHandle.standardError.write(Data("""
                connect-server: the sandbox cannot start: \(problem)
                connect-server: run it from the repository, or name the content folder with --content; \
                or give --upstream URL to forward the connect calls to a real platform instead.

                """.utf8))
            throw ExitCode(1)
        } catch {
            FileHandle.standardError.write(Data("connect-server: the sandbox cannot start: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }
}

/// A sandbox ready to run, and what to tell the person who started it.
struct SandboxLaunch: Sendable {
    let sandbox: Sandbox
    let baseURL: String
    let service: any Service

    /// The URLs to open and the commands to try, printed at start.
    func banner(site: String) async -> String {
        guard let app = sandbox.catalog.apps.first else { return "" }
        let appURL = sandbox.baseURL(of: app)
        let key = app.accessKeys?.first
        let demo = try? await sandbox.issueToken(appID: app.id, userID: "demo-user")
        var lines = ["", "Sandbox (\(app.name)):"]
        lines.append("  docs:          \(site)/")
        if let demo { lines.append("  connect page:  \(demo.url)") }
        lines.append("  demo App:      \(baseURL)/demo/   (link, popup and embedded, with the events it receives)")
        lines.append("  App base URL:  \(appURL)")
        if let key { lines.append("  Access Key:    \(key)") }
        let auth = key.map { " -H 'Authorization: Bearer \($0)'" } ?? ""
        lines.append("  new token:     curl -s -X POST \(appURL)/v1/connect/tokens\(auth) -H 'Content-Type: application/json' -d '{\"user_id\": \"customer-7421\"}'")
        lines.append("  statuses:      curl -s \(site)/v1/connect/requirements/status -H 'Authorization: Bearer <token>'")
        return lines.joined(separator: "\n") + "\n\n"
    }
}

/// A port to listen on: the one asked for, or for 0 a free one found by binding to it once.
enum FreePort {
    static func resolve(_ port: Int) throws -> Int {
        guard port == 0 else { return port }
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw ValidationError("cannot open a socket to find a free port") }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0 }
        }
        guard bound else { throw ValidationError("cannot find a free port for the sandbox") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

/// Log lines to standard error at the level asked for.
/// Every line goes to standard error: readable lines, or one JSON object each.
func bootstrapLogging(_ level: Logger.Level, format: LogFormat = .text) {
    LoggingSystem.bootstrap { label in
        switch format {
        case .text:
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        case .json:
            var handler = JSONLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }
}

/// The embedded sandbox as the docs' try-it reaches it through connect-server, once it is open.
actor EmbeddedSandbox: DevelopmentSandbox {
    private var sandbox: Sandbox?

    func use(_ sandbox: Sandbox) {
        self.sandbox = sandbox
    }

    /// A token for the first App's demo user.
    func demoToken() async -> String? {
        guard let sandbox, let app = sandbox.catalog.apps.first else { return nil }
        return try? await sandbox.issueToken(appID: app.id, userID: "docs-reader").token
    }

    /// The first App, the one the banner shows.
    func demoApp() async -> DemoApp? {
        guard let app = sandbox?.catalog.apps.first else { return nil }
        return DemoApp(hostname: app.hostname, accessKey: app.accessKeys?.first)
    }

    func answerAppHost(_ request: Request, path: Substring) async -> Response {
        guard let sandbox else { return Response(status: .serviceUnavailable) }
        return await sandbox.answerAppHost(request, path: path)
    }
}
