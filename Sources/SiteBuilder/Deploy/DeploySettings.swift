import Foundation

/// The `deploy:` block of `content/site.yaml`: where the generated nginx, Caddy and
/// `_headers` configs put the site on a server. Every key has a default, so a site without
/// the block still gets configs.
struct DeploySettings: Decodable, Sendable, Equatable {
    /// The folder on the server that holds the build (`public/`): nginx's and Caddy's `root`.
    var root = "/srv/connect-site/public"
    /// The management API the `/v1/connect/*` calls go to, as `connect-server --upstream`.
    var upstream = "https://api.getdynamiq.ai"
    /// The port nginx and Caddy listen on.
    var listen = 8080
    /// Send `Strict-Transport-Security`, as `connect-server --hsts`: only behind TLS.
    var hsts = false
    /// Connect calls a client address may make a minute, as `connect-server --rate-limit`;
    /// `0` turns the limit off.
    var rateLimit = 60

    init() {}

    init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = DeploySettings()
        root = try container.decodeIfPresent(String.self, forKey: .root) ?? defaults.root
        upstream = try container.decodeIfPresent(String.self, forKey: .upstream) ?? defaults.upstream
        listen = try container.decodeIfPresent(Int.self, forKey: .listen) ?? defaults.listen
        hsts = try container.decodeIfPresent(Bool.self, forKey: .hsts) ?? defaults.hsts
        rateLimit = try container.decodeIfPresent(Int.self, forKey: .rateLimit) ?? defaults.rateLimit
    }

    enum CodingKeys: String, CodingKey {
        case root, upstream, listen, hsts
        case rateLimit = "rate_limit"
    }

    /// The upstream split for the configs: scheme, host and port, and the path kept before `/v1`.
    struct Upstream: Equatable {
        var scheme: String
        var hostPort: String
        var host: String
        var path: String
    }

    /// What is wrong with the settings, for `content/site.yaml: deploy.…` messages.
    func problems() -> [String] {
        var problems: [String] = []
        if !root.hasPrefix("/") || root.contains(where: { $0 == "\"" || $0 == "'" || $0 == "$" || $0 == "{" || $0 == "}" || $0 == ";" || $0.isWhitespace }) {
            problems.append("`deploy.root` must be an absolute path without quotes, braces, `$`, `;` or spaces, not \"\(root)\"")
        }
        if parsedUpstream == nil {
            problems.append("`deploy.upstream` must be an http(s) address such as https://api.getdynamiq.ai, not \"\(upstream)\"")
        }
        if !(1...65535).contains(listen) { problems.append("`deploy.listen` must be a port from 1 to 65535, not \(listen)") }
        if rateLimit < 0 { problems.append("`deploy.rate_limit` must be 0 (off) or more, not \(rateLimit)") }
        return problems
    }

    var parsedUpstream: Upstream? {
        guard let url = URL(string: upstream), let scheme = url.scheme, ["http", "https"].contains(scheme),
              let host = url.host, !host.isEmpty, url.query == nil, url.fragment == nil, url.user == nil,
              upstream.allSatisfy({ $0.isASCII && !$0.isWhitespace && !"\"'${};".contains($0) }) else { return nil }
        let hostPort = url.port.map { "\(host):\($0)" } ?? host
        var path = url.path
        while path.hasSuffix("/") { path.removeLast() }
        return Upstream(scheme: scheme, hostPort: hostPort, host: host, path: path)
    }

    /// The folder the deploy files sit in on the server: beside the root, as beside `public/`.
    var deployFolder: String {
        (root as NSString).deletingLastPathComponent + "/deploy"
    }
}
