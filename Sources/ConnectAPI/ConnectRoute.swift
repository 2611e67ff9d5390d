/// The allow-list of `/v1/connect/*` calls that the hosted page makes and the proxy
/// forwards: the management-API endpoints 3 to 7 of the contract, and nothing else.
public enum ConnectRoute: Sendable, Equatable {
    case listRequirements
    case requirementStatuses
    case submitCredentials(requirementID: String)
    case authorizeOAuth2(requirementID: String)
    case authorizeActionConnector(requirementID: String)

    /// The prefix under which every route lives.
    public static let prefix = "/v1/connect/"

    /// The route a request names, or nil when it is not on the allow-list.
    /// - Parameters:
    ///   - method: The request method, upper case.
    ///   - path: The path, already percent-decoded once, without the query.
    public static func match(method: String, path: String) -> ConnectRoute? {
        guard path.hasPrefix(prefix) else { return nil }
        // "", "v1", "connect", "requirements", ...: the templates read what follows the "".
        let parts = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        let array = Array(parts)
        for template in templates {
            if let route = template.match(method: method, parts: array) { return route }
        }
        return nil
    }

    /// The method the route is called with.
    public var method: String {
        switch self {
        case .listRequirements, .requirementStatuses: "GET"
        case .submitCredentials, .authorizeOAuth2, .authorizeActionConnector: "POST"
        }
    }

    /// The path of the route, e.g. `/v1/connect/requirements/<id>/credentials`.
    public var path: String {
        switch self {
        case .listRequirements: "/v1/connect/requirements"
        case .requirementStatuses: "/v1/connect/requirements/status"
        case .submitCredentials(let id): "/v1/connect/requirements/\(id)/credentials"
        case .authorizeOAuth2(let id): "/v1/connect/requirements/\(id)/oauth2/authorize"
        case .authorizeActionConnector(let id): "/v1/connect/requirements/\(id)/pipedream/authorize"
        }
    }

    /// Whether the route carries a JSON body.
    public var hasBody: Bool {
        if case .submitCredentials = self { return true }
        return false
    }

    /// A canonical UUID in its 8-4-4-4-12 hex form (either case).
    public static func isUUID(_ text: String) -> Bool {
        let utf8 = Array(text.utf8)
        guard utf8.count == 36 else { return false }
        for (index, byte) in utf8.enumerated() {
            if [8, 13, 18, 23].contains(index) {
                guard byte == UInt8(ascii: "-") else { return false }
            } else {
                let isHex = (byte >= 48 && byte <= 57) || (byte >= 65 && byte <= 70) || (byte >= 97 && byte <= 102)
                guard isHex else { return false }
            }
        }
        return true
    }
}
