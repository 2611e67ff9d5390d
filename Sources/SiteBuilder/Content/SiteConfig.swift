/// `content/site.yaml`: the site's name, its operator, its sidebar, and its policies.
struct SiteConfig: Decodable, Sendable {
    var title: String
    var description: String
    /// The address the site is published at, for canonical links, the sitemap and llms.txt.
    var baseURL: String?
    var `operator`: Operator?
    /// Content paths (e.g. `index.md`) whose raw HTML is kept; everywhere else it is dropped.
    var rawHTML: [String]?
    var sidebar: [SidebarSection]
    /// The hosted connect page's settings.
    var connectPage: ConnectPageSettings?
    /// The connect page's face of each App in production (see `ConnectApp`).
    var apps: [ConnectApp]?
    /// Where a page's source is edited, with `{path}` for its path under `content/`, e.g.
    /// `https://github.com/OWNER/REPO/edit/main/content/{path}`; no "Edit this page" without it.
    var editURL: String?

    /// The "Edit this page" address of a content file.
    func editURL(for contentPath: String) -> String? {
        editURL?.replacingOccurrences(of: "{path}", with: contentPath)
    }
    /// Where the generated nginx, Caddy and `_headers` configs put the site (`deploy/`).
    var deploy: DeploySettings?

    struct ConnectPageSettings: Decodable, Sendable {
        /// The most the page with everything it loads may weigh, gzipped; the build fails past it.
        var budgetKiB: Double

        enum CodingKeys: String, CodingKey {
            case budgetKiB = "budget_kib"
        }
    }

    struct Operator: Decodable, Sendable {
        var name: String
        var logo: String?
        var accent: String?
        /// Linked beside the connect page's line on where credentials go.
        var privacyURL: String?

        enum CodingKeys: String, CodingKey {
            case name, logo, accent
            case privacyURL = "privacy_url"
        }
    }

    /// A sidebar group: the pages under a content folder (`from`), or the API operations.
    struct SidebarSection: Decodable, Sendable {
        var title: String
        var from: String?
        var api: Bool?
    }

    enum CodingKeys: String, CodingKey {
        case title, description, `operator`, sidebar, apps, deploy
        case baseURL = "base_url"
        case rawHTML = "raw_html"
        case connectPage = "connect_page"
        case editURL = "edit_url"
    }
}
