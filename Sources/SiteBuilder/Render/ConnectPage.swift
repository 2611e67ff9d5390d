import ConnectAPI
import Foundation

/// What the hosted connect page is made of: its words in each language, the catalog's
/// words beside them, the Apps (faces and allowed origins), and its script and stylesheet (from
/// `templates/connect/`), which the build inlines.
struct ConnectPageContent: Sendable {
    var strings: ConnectStrings
    var catalogWords: ConnectCatalogWords
    var apps: [String: ConnectApp]
    var script: String
    /// The head's small script that starts the status call before the page is parsed.
    var early: String
    var style: String

    /// Every App's allowed origins: who may embed the page (`frame-ancestors`). The page
    /// itself then holds each App to its own list.
    var frameAncestors: [String] {
        Array(Set(apps.values.flatMap { $0.pageData.origins })).sorted()
    }
}

/// The hosted connect page at `/connect/`.
///
/// Its first response carries everything the first paint needs, so that the checklist is
/// one round trip after the page: the stylesheet and script inline (the CSP allows them by
/// their hashes), and a data block with the English words, the catalog's type index, the
/// providers and the Apps' faces. What only a form or another language needs comes after,
/// as hashed assets: the full catalog, and one file per language with its words and the
/// catalog's labels and help.
struct ConnectPage {
    static let url = "/connect/"
    static let layout = "connect"
    static let catalogURL = "/connect/catalog.json"
    static let api = "/v1/connect/requirements"
    /// The SDK an App's page loads to embed the connect page or open it in a popup.
    static let embedScript = "/assets/connect-embed.js", embedStableURL = "/connect-embed.js"
    /// The credential forms' code, fetched with the catalog after the first paint.
    static let formsScript = "/assets/connect-forms.js"

    static func stringsURL(_ code: String) -> String { "/connect/strings/\(code).json" }

    private static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    /// The files the page fetches after its first paint, as assets of the build.
    static func assets(catalog: ConnectionTypeCatalog, content: ConnectPageContent) -> [AssetSource] {
        var assets = [AssetSource(sourcePath: "content/connection-types.yaml", url: catalogURL,
                                  bytes: (try? encoder.encode(catalog)) ?? Data())]
        for (code, words) in content.strings.languages {
            let labels = code == ConnectStrings.reference ? ConnectCatalogWords.english(catalog) : content.catalogWords.languages[code] ?? [:]
            let file = LanguageFile(words: words, catalog: labels)
            assets.append(AssetSource(sourcePath: "content/connect/strings/\(code).yaml", url: stringsURL(code),
                                      bytes: (try? encoder.encode(file)) ?? Data()))
        }
        return assets
    }

    private struct LanguageFile: Encodable {
        var words: [String: String]
        var catalog: [String: ConnectCatalogWords.TypeWords]
    }

    /// The data block: what the script needs before its first call returns.
    private struct PageData: Encodable {
        var api: String
        var catalog: String
        var forms: String
        var languages: [String: String]
        var words: [String: String]
        var types: [String: TypeEntry]
        var providers: [String: [String: String]]
        var apps: [String: ConnectApp.PageData]
        var `operator`: [String: String]
    }

    private struct TypeEntry: Encodable {
        var name: String
        var auth: String?
        var provider: String?
    }

    static func data(site: Site, content: ConnectPageContent) -> String {
        let catalog = site.catalog
        var providers: [String: [String: String]] = [:]
        for (slug, provider) in catalog.providers ?? [:] {
            var entry = ["name": provider.name]
            if let logo = provider.logo { entry["logo"] = logo.hasPrefix("/") ? logo : "/" + logo }
            providers[slug] = entry
        }
        var owner = ["name": site.config.operator?.name ?? site.config.title]
        if let privacy = site.config.operator?.privacyURL { owner["privacy"] = privacy }
        let data = PageData(
            api: api, catalog: catalogURL, forms: formsScript,
            languages: Dictionary(content.strings.languages.map { ($0.code, stringsURL($0.code)) }, uniquingKeysWith: { a, _ in a }),
            words: content.strings.english,
            types: Dictionary(catalog.types.map { ($0.type, TypeEntry(name: $0.name, auth: $0.auth?.rawValue, provider: $0.provider)) },
                              uniquingKeysWith: { a, _ in a }),
            providers: providers,
            apps: content.apps.mapValues(\.pageData),
            operator: owner)
        return InlineCode.scriptSafeJSON((try? encoder.encode(data)) ?? Data("{}".utf8))
    }

    /// The page, in English until its script picks the reader's language.
    static func render(site: Site, content: ConnectPageContent, context: PageContext) -> RenderedPage {
        let words = content.strings.english
        var page = context.common(url: url, title: words["page_title"] ?? "Connect", description: nil,
                                  breadcrumbs: [], markdownCopy: false)
        page["t"] = words
        if var siteContext = page["site"] as? [String: Any], let privacy = site.config.operator?.privacyURL {
            siteContext["privacyURL"] = privacy
            page["site"] = siteContext
        }
        page["inline"] = [
            "css": ContentLoader.themeCSS(site.config) + InlineCode.compactStyle(content.style),
            "script": InlineCode.compactScript(content.script),
            "early": InlineCode.compactScript(content.early),
            "data": data(site: site, content: content),
        ]
        page["languages"] = content.strings.languages.map { ["code": $0.code, "name": $0.strings["language_name"] ?? $0.code] }
        return RenderedPage(url: url, title: words["page_title"] ?? "Connect", description: nil,
                            html: site.templates.render(page, layout: layout), markdown: nil,
                            layout: layout, sourceFile: nil, markdownLinks: [], isListed: false)
    }
}

/// What the connect page's first flight weighs: its HTML gzipped, plus an allowance for
/// the response's headers (connect-server sends about 600 B). Everything the first paint
/// needs is inline, so this is what must arrive in the first round trip.
struct ConnectPageWeight {
    static let headerAllowance = 1024

    let html: Int
    var total: Int { html + Self.headerAllowance }

    init(html: String) {
        self.html = Gzip.compress(Data(html.utf8)).count
    }
}
