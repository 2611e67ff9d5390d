import ConnectAPI
import Foundation
import Hummingbird
import Logging

/// The embedded sandbox: the platform's seven connect endpoints, for real, on one machine.
///
/// ```swift
/// let sandbox = try await Sandbox.open(options)
/// let application = sandbox.application(host: "127.0.0.1", port: 8081)
/// // http://127.0.0.1:8081/apps/<hostname>/v1/connect/tokens     (App host endpoints)
/// // http://127.0.0.1:8081/v1/connect/requirements/status        (management endpoints)
/// ```
public struct Sandbox: Sendable {
    public struct Options: Sendable {
        /// The folder holding `sandbox.yaml` and `connection-types.yaml`.
        public var content: URL
        /// Where the keys and the database live (created 0700 if missing).
        public var dataFolder: String
        /// `nil` for `<dataFolder>/sandbox.sqlite`, or `:memory:` for tests.
        public var databasePath: String?
        /// The sandbox's own address, for the consent page URLs it hands out.
        public var publicURL: String
        /// The hosted connect page that token URLs point at, e.g. `http://127.0.0.1:8080/connect/`.
        public var connectPageURL: String

        public init(content: URL, dataFolder: String, databasePath: String? = nil, publicURL: String, connectPageURL: String) {
            self.content = content
            self.dataFolder = dataFolder
            self.databasePath = databasePath
            self.publicURL = publicURL
            self.connectPageURL = connectPageURL
        }
    }

    public let catalog: SandboxCatalog
    public let options: Options
    let store: SandboxStore
    let tokens: TokenIssuer
    let sealer: CredentialSealer

    /// Loads the Apps, opens (or creates) the keys and the database.
    /// - Throws: `ContentProblem` for a mistake in the content files (file, line, reason),
    ///   `SandboxSetupError` for the data folder.
    public static func open(_ options: Options) async throws -> Sandbox {
        let catalog = try SandboxCatalog.load(content: options.content, shownAs: Self.display(options.content))
        let folder = try SandboxDataFolder(path: options.dataFolder)
        return Sandbox(catalog: catalog, options: options,
                       store: try SandboxStore(path: options.databasePath ?? folder.databasePath),
                       tokens: try await TokenIssuer.load(from: folder), sealer: try CredentialSealer.load(from: folder))
    }

    /// The sandbox as a Hummingbird application, to run or to add to a service group.
    public func application(host: String, port: Int, logger: Logger? = nil,
                            onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
        Application(router: router(), configuration: .init(address: .hostname(host, port: port), serverName: nil),
                    onServerRunning: { await onServerRunning($0.localAddress?.port ?? port) },
                    logger: logger ?? Logger(label: "connect-sandbox"))
    }

    func router() -> Router<BasicRequestContext> {
        let router = Router()
        router.middlewares.add(ContractErrors())
        AppHostRoutes(sandbox: self).add(to: router)
        ManagementRoutes(sandbox: self).add(to: router)
        ConsentRoutes(sandbox: self).add(to: router)
        DemoRoutes(sandbox: self).add(to: router)
        return router
    }

    /// The answer of an App's host to a call of the docs' try-it, in process: connect-server
    /// passes `/_dev/apps/<hostname>/v1/...` here in sandbox mode, so that the Access Key a
    /// reader types goes to the docs' own origin and no further.
    /// - Parameter path: The sandbox's path, `/apps/<hostname>/v1/...`, without the query.
    public func answerAppHost(_ request: Request, path: Substring) async -> Response {
        guard let (route, hostname) = AppHostRoute.match(method: request.method.rawValue, sandboxPath: path) else {
            return SandboxResponse.error(.notFound)
        }
        do {
            return try await AppHostRoutes(sandbox: self).answer(request, route: route, hostname: String(hostname))
        } catch let error as HTTPError {
            return SandboxResponse.error(for: error)
        } catch {
            // The store failed: to the docs this is an upstream that could not answer.
            return SandboxResponse.error(.badGateway)
        }
    }

    /// A fresh token for an App's user, with the connect page URL that carries it.
    public func issueToken(appID: String, userID: String, lifetime: TimeInterval = TokenIssuer.lifetime)
        async throws -> (token: String, url: String, expiresAt: Date) {
        let (token, expiresAt) = try await tokens.issue(userID: userID, appID: appID, appName: catalog.app(id: appID)?.name, lifetime: lifetime)
        return (token, connectPageURL(for: token), expiresAt)
    }

    /// The base URL an App's host endpoints answer at.
    public func baseURL(of app: SandboxApp) -> String {
        "\(trimmed(options.publicURL))/apps/\(app.hostname)"
    }

    /// The connect page with the token in the fragment, which no server and no `Referer` sees.
    func connectPageURL(for token: String) -> String {
        options.connectPageURL + "#token=" + token
    }

    func consentURL(for flow: ConsentFlow) -> String {
        "\(trimmed(options.publicURL))/sandbox/consent/\(flow.id)"
    }

    private func trimmed(_ url: String) -> String {
        url.hasSuffix("/") ? String(url.dropLast()) : url
    }

    private static func display(_ url: URL) -> String {
        let cwd = FileManager.default.currentDirectoryPath
        let path = url.standardizedFileURL.path
        return path.hasPrefix(cwd + "/") ? String(path.dropFirst(cwd.count + 1)) : path
    }
}
