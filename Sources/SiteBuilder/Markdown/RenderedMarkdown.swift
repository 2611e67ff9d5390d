/// What rendering one Markdown document gives: its HTML and what the page needs around it.
struct RenderedMarkdown: Sendable {
    var html: String
    /// Every heading, in document order, with the id it was given.
    var headings: [Heading]
    /// Every link and image target, as written and as rewritten, with its source line.
    var links: [MarkdownLink]
}

struct Heading: Sendable, Equatable {
    var level: Int
    var text: String
    var id: String
    /// The section exists only once the page's script has run (try-it): its entry in
    /// "On this page" is hidden until then, so that no link leads to a hidden section.
    var needsScript = false
}

struct MarkdownLink: Sendable, Equatable {
    /// The target as the author wrote it.
    var written: String
    /// The target in the HTML.
    var rendered: String
    /// 1-based line in the Markdown body.
    var line: Int
}
