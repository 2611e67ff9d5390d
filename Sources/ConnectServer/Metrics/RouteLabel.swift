import ConnectAPI

/// What the metrics and the access log call the part of the server that answered a request.
/// A label from a short, fixed list, never the request's path, token or user: Prometheus
/// keeps one series per label value, so a value taken from the request would let any
/// client grow the server's memory and the scraper's without bound.
enum RouteLabel: String, Sendable, CaseIterable {
    /// A file of the site, its 404 or a redirect.
    case site = "static"
    case health
    case development
    /// Refused before any upstream call: a `/v1` call off the allow-list, without a token,
    /// over the rate or too large, or a request the connection itself refused (400, 408, 431).
    case refused
    case listRequirements = "list_requirements"
    case requirementStatuses = "requirement_statuses"
    case submitCredentials = "submit_credentials"
    case authorizeOAuth2 = "authorize_oauth2"
    case authorizeActionConnector = "authorize_action_connector"

    init(_ route: ConnectRoute) {
        switch route {
        case .listRequirements: self = .listRequirements
        case .requirementStatuses: self = .requirementStatuses
        case .submitCredentials: self = .submitCredentials
        case .authorizeOAuth2: self = .authorizeOAuth2
        case .authorizeActionConnector: self = .authorizeActionConnector
        }
    }

    /// The label of a request that no proxied route took.
    init(_ routeClass: RouteClass) {
        switch routeClass {
        case .proxy: self = .refused
        case .health: self = .health
        case .development: self = .development
        case .site: self = .site
        }
    }
}
