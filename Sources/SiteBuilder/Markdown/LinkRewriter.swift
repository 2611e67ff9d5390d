/// Turns the links an author writes into the site's URLs: `overview.md#flow` and
/// `../docs/overview.md` become `/docs/overview/#flow`; `/api/createConnectToken` gains its
/// trailing slash; `images/a.png` becomes `/images/a.png`. External links are kept.
struct LinkRewriter: Sendable {
    let pageURLs: Set<String>

    /// - Parameters:
    ///   - link: The target as written.
    ///   - contentPath: The page's path inside `content/`, e.g. `docs/overview.md`.
    /// - Returns: the rewritten target, or nil to keep it.
    func rewrite(_ link: String, from contentPath: String) -> String? {
        guard !link.isEmpty, !link.hasPrefix("#"), !Self.isExternal(link) else { return nil }
        var path = link
        var suffix = ""
        if let mark = path.firstIndex(where: { $0 == "#" || $0 == "?" }) {
            suffix = String(path[mark...])
            path = String(path[..<mark])
        }
        let resolved = path.hasPrefix("/") ? path : Self.resolve(path, against: contentPath)
        if resolved.hasSuffix(".md") {
            return SourcePage.url(forContentPath: String(resolved.dropFirst())) + suffix
        }
        if !resolved.hasSuffix("/"), pageURLs.contains(resolved + "/") {
            return resolved + "/" + suffix
        }
        return resolved == link ? nil : resolved + suffix
    }

    /// `mailto:`, `https://...`, `//host/...`: anything with a scheme or a host.
    static func isExternal(_ link: String) -> Bool {
        if link.hasPrefix("//") { return true }
        guard let colon = link.firstIndex(of: ":") else { return false }
        let scheme = link[..<colon]
        return !scheme.isEmpty && scheme.allSatisfy { $0.isLetter || $0.isNumber || $0 == "+" || $0 == "-" || $0 == "." }
    }

    /// A relative path resolved against the folder of a content file, as a site path.
    static func resolve(_ relative: String, against contentPath: String) -> String {
        var parts = contentPath.split(separator: "/").dropLast().map(String.init)
        for part in relative.split(separator: "/", omittingEmptySubsequences: false) {
            switch part {
            case "", ".": continue
            case "..": if !parts.isEmpty { parts.removeLast() }
            default: parts.append(String(part))
            }
        }
        let trailing = relative.hasSuffix("/") && !parts.isEmpty ? "/" : ""
        return "/" + parts.joined(separator: "/") + trailing
    }
}
