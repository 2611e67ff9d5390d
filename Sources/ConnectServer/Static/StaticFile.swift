import ConnectAPI
import HTTPTypes
import Hummingbird
import NIOHTTP1

/// One URL of the site, with its response headers built once at load so that serving it
/// costs a dictionary lookup and a copy-on-write header reference.
struct StaticFile: Sendable {
    /// The file as built.
    let identity: StaticRepresentation
    /// Its precompressed twin, when the manifest lists one.
    let gzip: StaticRepresentation?
}

/// The bytes of one file (or its gzip variant) and the headers that describe them.
struct StaticRepresentation: Sendable {
    /// Where the bytes come from.
    enum Content: Sendable {
        /// Held in memory since the manifest was loaded: a slice is a zero-copy view.
        case memory(ByteBuffer)
        /// Over the memory budget: read per request from a file held open.
        case disk(OpenFile)
    }

    let content: Content
    let size: Int
    /// A strong validator from the file's hash (`EntityTag.strong`).
    let etag: String
    /// A 200 answer: type, length, validator, caching, coding, security.
    let fullHeaders: HTTPFields
    /// A 206 answer, before `Content-Range` and `Content-Length` are added.
    let partialHeaders: HTTPFields
    /// A 304 answer: only what RFC 9110 §15.4.5 asks to repeat.
    let notModifiedHeaders: HTTPFields
    /// The 200 and 304 answers' heads as NIO's HTTP/1 types, built once for the channel's
    /// fast path (which answers HTTP/1.1 only), so a request allocates no head.
    let okHead: HTTPResponseHead
    let notModifiedHead: HTTPResponseHead

    /// - Parameters:
    ///   - content: The bytes or where to find them.
    ///   - size: Their length.
    ///   - sha256: Their hash, hex.
    ///   - mediaType: `Content-Type` of the original file.
    ///   - immutable: A content-hashed asset.
    ///   - gzip: Whether these are the gzip-coded bytes.
    ///   - hasVariants: Whether the URL has both codings, so caches must key on `Accept-Encoding`.
    ///   - security: The headers of every response.
    ///   - scriptHashes, styleHashes: The digests of the page's inline script and style.
    init(content: Content, size: Int, sha256: String, mediaType: String, immutable: Bool,
         gzip: Bool, hasVariants: Bool, security: SecurityHeaders, scriptHashes: [String]? = nil, styleHashes: [String]? = nil,
         frameAncestors: [String]? = nil) {
        self.content = content
        self.size = size
        self.etag = EntityTag.strong(sha256: sha256)
        // A 304 carries what RFC 9110 §15.4.5 asks a server to repeat from the 200 (ETag,
        // Cache-Control, Vary), and nothing else: the security headers belong to the
        // representation they protect, which the client already holds with its own.
        var validators = HTTPFields()
        validators[.eTag] = etag
        validators[.cacheControl] = CachePolicy.cacheControl(immutable: immutable)
        if hasVariants { validators[.vary] = CachePolicy.varyForVariants }
        self.notModifiedHeaders = validators
        var common = security.fields(scriptHashes: scriptHashes, styleHashes: styleHashes, frameAncestors: frameAncestors)
        for field in validators { common[field.name] = field.value }

        var described = common
        described[.contentType] = mediaType
        if gzip { described[.contentEncoding] = "gzip" } else { described[.acceptRanges] = "bytes" }
        self.partialHeaders = described
        var full = described
        full[.contentLength] = String(size)
        self.fullHeaders = full
        okHead = HTTPResponseHead(version: .http1_1, status: .ok,
                                  headers: HTTPHeaders(full.map { ($0.name.rawName, $0.value) }))
        notModifiedHead = HTTPResponseHead(version: .http1_1, status: .notModified,
                                           headers: HTTPHeaders(validators.map { ($0.name.rawName, $0.value) }))
    }
}
