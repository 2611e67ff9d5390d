import Hummingbird

/// The embedded sandbox as the docs' try-it reaches it, in sandbox mode only: a server with
/// a real upstream never has one, and then no `/_dev/demo-*` or `/_dev/apps/` route exists.
/// A protocol, so that the production server does not link the sandbox: the executable
/// conforms to it.
public protocol DevelopmentSandbox: Sendable {
    /// `GET /_dev/demo-token`: a fresh connect token for a demo user; nil before the
    /// sandbox is open.
    func demoToken() async -> String?
    /// `GET /_dev/demo-app`: the App the try-it forms fill in; nil before the sandbox is open.
    func demoApp() async -> DemoApp?
    /// `/_dev/apps/<hostname>/v1/...`: an App host's answer, in process.
    /// - Parameter path: The sandbox's path, `/apps/<hostname>/v1/...`, without the query.
    func answerAppHost(_ request: Request, path: Substring) async -> Response
}

/// The App the try-it forms fill in: its hostname, and an Access Key if it is private.
public struct DemoApp: Sendable, Equatable {
    public var hostname: String
    public var accessKey: String?

    public init(hostname: String, accessKey: String?) {
        self.hostname = hostname
        self.accessKey = accessKey
    }
}

