/// The list of every file a build produced, written by `build-site` to
/// `public/.manifest.json` and read by `connect-server`.
///
/// The server serves only what this manifest lists: it never maps a URL onto the file
/// system, so a dotfile, a symlink target or a path outside `public/` cannot be reached.
public struct SiteManifest: Codable, Sendable, Equatable {
    /// The format's version; a server refuses a manifest of another version.
    public static let currentVersion = 1
    /// Where the manifest sits inside the output folder.
    public static let fileName = ".manifest.json"

    public var version: Int
    /// The URL path of the page served with status 404 for unknown paths.
    public var notFound: String?
    /// One entry per URL, sorted by `path`.
    public var entries: [ManifestEntry]

    public init(version: Int = SiteManifest.currentVersion, notFound: String?, entries: [ManifestEntry]) {
        self.version = version
        self.notFound = notFound
        self.entries = entries
    }
}

/// One servable file.
public struct ManifestEntry: Codable, Sendable, Equatable {
    /// The URL path it answers, e.g. `/api/createConnectToken/` or `/assets/site.3f2a1c9e.css`.
    public var path: String
    /// The file, relative to the output folder, e.g. `api/createConnectToken/index.html`.
    public var file: String
    /// The media type to send, with `charset=utf-8` for text.
    public var mediaType: String
    public var size: Int
    /// Lowercase hex SHA-256 of the file's bytes; the server's strong ETag.
    public var sha256: String
    /// The precompressed variant, when the file is text over 1 KiB.
    public var gzip: GzipVariant?
    /// A content-hashed asset whose URL changes whenever its bytes do: cache it forever.
    public var immutable: Bool
    /// The page's inline `<script>` and `<style>` blocks, as the base64 SHA-256 digests its
    /// Content-Security-Policy allows (`'sha256-…'`). Only a page that inlines its first
    /// paint (the connect page) has them; every other answer keeps `'self'` alone.
    public var scriptHashes: [String]?
    public var styleHashes: [String]?
    /// The origins that may embed this page (`frame-ancestors`); absent, none may. Only the
    /// connect page has them: the Apps' allowed origins from `site.yaml` and `sandbox.yaml`.
    public var frameAncestors: [String]?

    public init(path: String, file: String, mediaType: String, size: Int, sha256: String, gzip: GzipVariant?, immutable: Bool,
                scriptHashes: [String]? = nil, styleHashes: [String]? = nil, frameAncestors: [String]? = nil) {
        self.path = path
        self.file = file
        self.mediaType = mediaType
        self.size = size
        self.sha256 = sha256
        self.gzip = gzip
        self.immutable = immutable
        self.scriptHashes = scriptHashes
        self.styleHashes = styleHashes
        self.frameAncestors = frameAncestors
    }
}

/// A `.gz` file beside its original.
public struct GzipVariant: Codable, Sendable, Equatable {
    public var file: String
    public var size: Int
    public var sha256: String

    public init(file: String, size: Int, sha256: String) {
        self.file = file
        self.size = size
        self.sha256 = sha256
    }
}
