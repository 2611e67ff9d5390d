/// Which part of the server a request path belongs to: decided here once, for the
/// channel handlers and the Hummingbird responder alike.
enum RouteClass: Equatable {
    /// `/v1` and below: the proxy's, answered in the contract's error shape when refused.
    case proxy
    /// `/healthz` (ready) and `/healthz/live` (alive).
    case health
    /// `/_dev/...`: live reload and the demo token, in development only.
    case development
    /// Everything else: a file of the site, or its 404.
    case site

    static let readinessPath = "/healthz"
    static let livenessPath = "/healthz/live"

    /// - Parameter rawPath: The path as it arrived, without the query.
    init(rawPath: Substring) {
        if rawPath.hasPrefix("/v1/") || rawPath == "/v1" {
            self = .proxy
        } else if rawPath == Self.readinessPath || rawPath == Self.livenessPath {
            self = .health
        } else if rawPath.hasPrefix("/_dev/") {
            self = .development
        } else {
            self = .site
        }
    }
}
