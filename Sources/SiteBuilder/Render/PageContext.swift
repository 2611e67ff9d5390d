import Foundation

/// The Mustache context every layout receives; each kind of page adds its own keys.
struct PageContext {
    let site: Site
    let navigation: Navigation
    let baseURL: String
    var development = false

    func common(url: String, title: String, description: String?, breadcrumbs: [(String, String)],
                headings: [Heading] = [], markdownCopy: Bool = true) -> [String: Any] {
        let (previous, next) = navigation.neighbours(of: url)
        let toc = headings.filter { $0.level == 2 || $0.level == 3 }
        var context: [String: Any] = [
            "site": siteContext,
            "sidebar": navigation.context(current: url),
            "page": [
                "title": title,
                "description": description ?? site.config.description,
                "url": url,
                "canonical": baseURL + url,
            ] as [String: Any],
            "breadcrumbs": breadcrumbs.enumerated().map { index, crumb in
                ["title": crumb.0, "url": crumb.1, "last": index == breadcrumbs.count - 1] as [String: Any]
            },
            "toc": toc.map { ["id": $0.id, "text": $0.text, "sub": $0.level == 3, "needsScript": $0.needsScript] as [String: Any] },
            "hasToc": !toc.isEmpty,
        ]
        if markdownCopy {
            context["markdownURL"] = url + "index.md"
            // What the "Open in ChatGPT / Claude" links ask, with this page's Markdown copy.
            let ask = "Read \(baseURL)\(url)index.md so I can ask you questions about it."
            context["askQuery"] = ask.addingPercentEncoding(withAllowedCharacters: Self.unreserved) ?? ""
        }
        if development { context["development"] = true }
        if let previous { context["previous"] = ["title": previous.title, "url": previous.url] }
        if let next { context["next"] = ["title": next.title, "url": next.url] }
        return context
    }

    /// RFC 3986's unreserved characters: everything else in a query value is encoded.
    private static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    private var siteContext: [String: Any] {
        var context: [String: Any] = ["title": site.config.title, "description": site.config.description, "baseURL": baseURL,
                                      "apiVersion": site.api.version, "hasChangelog": !site.changelog.isEmpty]
        if let owner = site.config.operator {
            context["operatorName"] = owner.name
            if let logo = owner.logo { context["logo"] = logo.hasPrefix("/") ? logo : "/" + logo }
            if let accent = owner.accent { context["accent"] = accent }
        }
        return context
    }
}
