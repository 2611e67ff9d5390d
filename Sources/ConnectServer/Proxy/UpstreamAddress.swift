import Foundation

/// The upstream named by `--upstream`, taken apart once: where to connect, what to send
/// as `Host`, and the path every route is appended to.
struct UpstreamAddress: Sendable {
    let host: String
    let port: Int
    let tls: Bool
    /// `Host` as the upstream expects it: the port only when it is not the scheme's.
    let hostHeader: String
    /// The URL's path without a trailing slash, e.g. `/api` or empty.
    let basePath: String

    /// Nil unless `url` is an absolute http or https URL with a host.
    init?(_ url: String) {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
              scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty else { return nil }
        tls = scheme == "https"
        let defaultPort = tls ? 443 : 80
        port = components.port ?? defaultPort
        // URLComponents keeps an IPv6 literal's brackets off `host`; `Host` needs them.
        let bracketed = host.contains(":") ? "[\(host)]" : host
        self.host = host
        hostHeader = port == defaultPort ? bracketed : "\(bracketed):\(port)"
        var path = components.percentEncodedPath
        while path.hasSuffix("/") { path.removeLast() }
        basePath = path
    }
}
