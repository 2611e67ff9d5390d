/// The files generated about the site: `sitemap.xml`, `robots.txt`, `llms.txt` and
/// `llms-full.txt`. Nothing in them depends on the time of the build.
enum SiteFiles {
    static func sitemap(pages: [RenderedPage], baseURL: String) -> String {
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"
        for page in pages where page.isListed {
            xml += "  <url><loc>\((baseURL + page.url).htmlEscaped)</loc></url>\n"
        }
        return xml + "</urlset>\n"
    }

    static func robots(baseURL: String) -> String {
        "User-agent: *\nAllow: /\n\nSitemap: \(baseURL)/sitemap.xml\n"
    }

    /// An index in the llms.txt format: a title, a summary, then a list per sidebar section.
    static func llmsIndex(title: String, description: String, navigation: Navigation, pages: [RenderedPage], baseURL: String) -> String {
        let byURL = Dictionary(pages.map { ($0.url, $0) }, uniquingKeysWith: { first, _ in first })
        var text = "# \(title)\n\n> \(description)\n\n"
        text += "Every page has a Markdown copy at its URL followed by `index.md`; [llms-full.txt](\(baseURL)/llms-full.txt) holds them all.\n"
        for section in navigation.sections {
            text += "\n## \(section.title)\n\n"
            for item in section.items {
                let summary = byURL[item.url]?.description.map { ": \($0)" } ?? ""
                text += "- [\(item.title)](\(baseURL)\(item.url)index.md)\(summary)\n"
            }
        }
        return text
    }

    /// Every page's Markdown copy, in reading order.
    static func llmsFull(navigation: Navigation, pages: [RenderedPage], baseURL: String) -> String {
        let byURL = Dictionary(pages.map { ($0.url, $0) }, uniquingKeysWith: { first, _ in first })
        return navigation.chain.compactMap { item in
            byURL[item.url]?.markdown.map { "<!-- \(baseURL)\(item.url) -->\n\n" + $0 }
        }.joined(separator: "\n---\n\n")
    }
}
