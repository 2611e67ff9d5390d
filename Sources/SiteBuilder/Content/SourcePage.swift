/// A Markdown page of `content/`, loaded and split but not yet rendered.
struct SourcePage: Sendable {
    /// The path inside `content/`, e.g. `docs/overview.md`.
    var contentPath: String
    /// The path to show in messages, e.g. `content/docs/overview.md`.
    var displayPath: String
    /// The page's URL path with a trailing slash, e.g. `/docs/overview/`, or `/` for `index.md`.
    var url: String
    var frontMatter: FrontMatter
    var body: String
    /// The file line the body starts on, to turn body lines into file lines.
    var bodyLine: Int
    var allowsRawHTML: Bool

    /// The URL a content path such as `docs/overview.md` is published at.
    static func url(forContentPath path: String) -> String {
        var stem = String(path.dropLast(".md".count))
        if stem == "index" { return "/" }
        if stem.hasSuffix("/index") { stem = String(stem.dropLast("/index".count)) }
        return "/" + stem + "/"
    }
}
