import ConnectAPI
import Foundation

/// Everything a build reads, loaded and parsed: the input of rendering.
struct Site: Sendable {
    var config: SiteConfig
    /// The Markdown pages, sorted by content path.
    var pages: [SourcePage]
    var api: APIReference
    var catalog: ConnectionTypeCatalog
    var templates: TemplateSet
    /// Files copied to the output with a content hash in their names.
    var assets: [AssetSource]
    /// Files copied to the output as they are (e.g. `openapi.yaml`).
    var plainFiles: [PlainFile]
    /// The connect page's words and parts, when the content has its words (`content/connect/strings/`).
    var connect: ConnectPageContent?
    /// `content/changelog.md`'s dated entries, newest first; empty without one.
    var changelog: [ChangelogEntry] = []
}

/// A file of `templates/assets/` or `content/` (an image, a stylesheet, a script).
struct AssetSource: Sendable {
    /// Where the file is.
    var sourcePath: String
    /// The URL path its references use before hashing, e.g. `/assets/site.css`.
    var url: String
    /// The bytes of an asset the build makes itself (the theme), instead of a file's.
    var bytes: Data? = nil
}

/// A file copied under a fixed URL.
struct PlainFile: Sendable {
    var url: String
    var bytes: Data
}
