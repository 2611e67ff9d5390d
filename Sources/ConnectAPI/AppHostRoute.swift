/// The two calls an App's backend makes on the App's own host, endpoints 1 and 2 of the
/// contract. The platform answers them at `https://<app hostname>/v1/...`; the sandbox at
/// `/apps/<app hostname>/v1/...`, and in sandbox mode connect-server passes the docs'
/// try-it calls to the sandbox from `/_dev/apps/<app hostname>/v1/...`. This list is the
/// one each of them matches against.
public enum AppHostRoute: String, Sendable, CaseIterable {
    case createToken
    case requirementsStatus

    /// The method the route is called with.
    public var method: String {
        switch self {
        case .createToken: "POST"
        case .requirementsStatus: "GET"
        }
    }

    /// The path on the App's host, as the reference documents it.
    public var path: String {
        switch self {
        case .createToken: "/v1/connect/tokens"
        case .requirementsStatus: "/v1/requirements/status"
        }
    }

    /// The prefix of the sandbox's App hosts: `/apps/<hostname>` is one App's base URL.
    public static let sandboxPrefix = "/apps/"

    /// The route a documented operation is, if it is one of the two.
    public static func documented(method: String, path: String) -> AppHostRoute? {
        allCases.first { $0.method == method.uppercased() && $0.path == path }
    }

    /// The route and the App's hostname a path of the sandbox's form names:
    /// `/apps/<hostname>/v1/connect/tokens`. Nil for any other method or path.
    /// - Parameter path: The path without its query, as it arrived.
    public static func match(method: String, sandboxPath path: Substring) -> (route: AppHostRoute, hostname: Substring)? {
        guard path.hasPrefix(sandboxPrefix) else { return nil }
        let rest = path.dropFirst(sandboxPrefix.count)
        guard let slash = rest.firstIndex(of: "/") else { return nil }
        let hostname = rest[..<slash]
        guard isHostname(hostname) else { return nil }
        let tail = rest[slash...]
        guard let route = allCases.first(where: { $0.method == method && tail == $0.path }) else { return nil }
        return (route, hostname)
    }

    /// A DNS name's characters only: letters, digits, `-` and `.`, as a deployed App's
    /// hostname has, so that nothing percent-encoded or dot-segmented passes as one.
    static func isHostname(_ text: Substring) -> Bool {
        guard !text.isEmpty, text.utf8.count <= 253, text.first != ".", !text.contains("..") else { return false }
        return text.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."): true
            default: false
            }
        }
    }
}
