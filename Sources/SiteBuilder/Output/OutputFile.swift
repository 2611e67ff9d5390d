import Foundation

/// One file the build writes, and how the server should serve it.
struct OutputFile: Sendable {
    /// Relative to the output folder, e.g. `docs/overview/index.html`.
    var file: String
    /// The URL path it is served at, e.g. `/docs/overview/`.
    var url: String
    var bytes: Data
    var mediaType: String
    /// A content-hashed asset: its URL changes whenever its bytes do.
    var immutable: Bool = false
    /// The CSP digests of the page's inline script and style (see `ManifestEntry`).
    var scriptHashes: [String]? = nil
    var styleHashes: [String]? = nil
    /// Who may embed the page (see `ManifestEntry`).
    var frameAncestors: [String]? = nil
}
