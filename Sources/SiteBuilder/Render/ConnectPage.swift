import ConnectAPI
import Foundation

/// The hosted connect page at `/connect/`: its HTML from the `connect` layout, and the data
/// its script loads, emitted as hashed assets: the connection-type catalog (for the forms)
/// and one file of words per language.
struct ConnectPage {
    static let url = "/connect/"
    static let layout = "connect"
    static let catalogURL = "/connect/catalog.json"

    static func stringsURL(_ code: String) -> String { "/connect/strings/\(code).json" }

    /// The JSON files the page fetches, as assets of the build.
    static func assets(catalog: ConnectionTypeCatalog, strings: ConnectStrings) -> [AssetSource] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var assets = [AssetSource(sourcePath: "content/connection-types.yaml", url: catalogURL,
                                  bytes: (try? encoder.encode(catalog)) ?? Data())]
        for (code, words) in strings.languages {
            assets.append(AssetSource(sourcePath: "content/connect/strings/\(code).yaml", url: stringsURL(code),
                                      bytes: (try? encoder.encode(words)) ?? Data()))
        }
        return assets
    }

    /// The page, in English until its script picks the reader's language.
    static func render(site: Site, strings: ConnectStrings, context: PageContext) -> RenderedPage {
        let words = strings.english
        var page = context.common(url: url, title: words["page_title"] ?? "Connect", description: nil,
                                  breadcrumbs: [], markdownCopy: false)
        page["t"] = words
        page["catalogURL"] = catalogURL
        page["languages"] = strings.languages.map { ["code": $0.code, "name": $0.strings["language_name"] ?? $0.code, "url": stringsURL($0.code)] }
        return RenderedPage(url: url, title: words["page_title"] ?? "Connect", description: nil,
                            html: site.templates.render(page, layout: layout), markdown: nil,
                            layout: layout, sourceFile: nil, markdownLinks: [], isListed: false)
    }
}

/// What the connect page weighs on the wire: its HTML and everything it loads, gzipped.
struct ConnectPageWeight {
    /// Bytes, gzipped, of each part.
    let parts: [(url: String, bytes: Int)]

    var total: Int { parts.reduce(0) { $0 + $1.bytes } }

    /// - Parameters:
    ///   - html: The page as written (asset references already hashed).
    ///   - files: Every file of the build by URL.
    init(html: String, files: [String: OutputFile]) {
        var parts: [(String, Int)] = [(ConnectPage.url, Gzip.compress(Data(html.utf8)).count)]
        let attributes = HTMLScan.attributes(["href", "src", "data-catalog"], in: html)
        for url in (attributes["href"] ?? []) + (attributes["src"] ?? []) + (attributes["data-catalog"] ?? []) {
            if let file = files[url] { parts.append((url, Gzip.compress(file.bytes, level: Gzip.level(for: file)).count)) }
        }
        // Only one language's words are fetched: count the heaviest.
        let words = files.values.filter { $0.url.hasPrefix("/connect/strings/") }
            .map { ($0.url, Gzip.compress($0.bytes, level: Gzip.level(for: $0)).count) }.max { $0.1 < $1.1 }
        if let words { parts.append(words) }
        self.parts = parts
    }
}
