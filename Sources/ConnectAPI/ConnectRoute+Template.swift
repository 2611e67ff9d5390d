/// A route of the allow-list as data: its method and its path, segment by segment. The one
/// table ``ConnectRoute/match(method:path:)`` reads, and the one the deploy configs' regular
/// expressions are rendered from, so the two cannot disagree.
public struct RouteTemplate: Sendable {
    /// One segment of the path.
    public enum Segment: Sendable, Equatable {
        /// Exactly this text.
        case literal(String)
        /// A requirement id: a UUID in its 8-4-4-4-12 hex form (``ConnectRoute/isUUID(_:)``).
        case requirementID
    }

    public let method: String
    /// The segments after the leading slash, e.g. `v1`, `connect`, `requirements`, an id, `credentials`.
    public let segments: [Segment]
    /// The route, from the ids in the path's `requirementID` segments.
    let make: @Sendable ([String]) -> ConnectRoute

    init(_ method: String, _ segments: [Segment], _ make: @escaping @Sendable ([String]) -> ConnectRoute) {
        self.method = method
        self.segments = segments
        self.make = make
    }

    /// The route when `method` and the path's segments (after the leading slash) fit.
    func match(method: String, parts: [Substring]) -> ConnectRoute? {
        guard method == self.method, parts.count == segments.count else { return nil }
        var ids: [String] = []
        for (segment, part) in zip(segments, parts) {
            switch segment {
            case .literal(let text): guard part == text else { return nil }
            case .requirementID:
                let id = String(part)
                guard ConnectRoute.isUUID(id) else { return nil }
                ids.append(id)
            }
        }
        return make(ids)
    }

    /// The path as a POSIX extended regular expression (as nginx's PCRE and Caddy's RE2 read
    /// it), anchored at both ends: `^/v1/connect/requirements/[0-9a-fA-F]{8}-…/credentials$`.
    public var pathPattern: String {
        "^" + segments.map { segment in
            switch segment {
            case .literal(let text): "/" + Self.escaped(text)
            case .requirementID: "/" + RouteTemplate.uuidPattern
            }
        }.joined() + "$"
    }

    /// A UUID's 8-4-4-4-12 hex digits, either case.
    public static let uuidPattern = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"

    private static func escaped(_ text: String) -> String {
        var out = ""
        for character in text {
            if "\\^$.|?*+()[]{}".contains(character) { out.append("\\") }
            out.append(character)
        }
        return out
    }
}

extension ConnectRoute {
    private static let requirements: [RouteTemplate.Segment] = [.literal("v1"), .literal("connect"), .literal("requirements")]

    /// The allow-list, one template per route.
    public static let templates: [RouteTemplate] = [
        RouteTemplate("GET", requirements) { _ in .listRequirements },
        RouteTemplate("GET", requirements + [.literal("status")]) { _ in .requirementStatuses },
        RouteTemplate("POST", requirements + [.requirementID, .literal("credentials")]) { .submitCredentials(requirementID: $0[0]) },
        RouteTemplate("POST", requirements + [.requirementID, .literal("oauth2"), .literal("authorize")]) {
            .authorizeOAuth2(requirementID: $0[0])
        },
        RouteTemplate("POST", requirements + [.requirementID, .literal("pipedream"), .literal("authorize")]) {
            .authorizeActionConnector(requirementID: $0[0])
        },
    ]

    /// The methods the allow-list uses, each with the path patterns allowed with it.
    public static var patternsByMethod: [(method: String, patterns: [String])] {
        var order: [String] = []
        var byMethod: [String: [String]] = [:]
        for template in templates {
            if byMethod[template.method] == nil { order.append(template.method) }
            byMethod[template.method, default: []].append(template.pathPattern)
        }
        return order.map { ($0, byMethod[$0]!) }
    }
}
