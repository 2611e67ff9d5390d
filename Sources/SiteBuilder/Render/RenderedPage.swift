/// One page, rendered: the HTML and the Markdown copy published beside it.
struct RenderedPage: Sendable {
    /// URL path, e.g. `/docs/overview/`; `/404.html` for the not-found page.
    var url: String
    var title: String
    var description: String?
    var html: String
    /// The Markdown copy (`index.md` beside `index.html`); nil for the 404 page.
    var markdown: String?
    /// The layout that rendered it, for messages about links the template wrote.
    var layout: String
    /// The Markdown it came from, e.g. `content/docs/overview.md`.
    var sourceFile: String?
    /// Links the Markdown wrote, with their lines in `sourceFile`.
    var markdownLinks: [MarkdownLink]
    /// Whether it goes into the sitemap, llms.txt and the search index.
    var isListed: Bool
    /// Its h2 and h3 sections, for the search index.
    var headings: [Heading] = []

    /// The file it is written to, relative to the output folder.
    var htmlFile: String {
        url.hasSuffix("/") ? String(url.dropFirst()) + "index.html" : String(url.dropFirst())
    }

    var markdownFile: String? {
        markdown == nil ? nil : String(url.dropFirst()) + "index.md"
    }
}
