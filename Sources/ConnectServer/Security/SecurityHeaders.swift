import HTTPTypes
import Hummingbird

/// The headers every response carries, static file or proxied call or error.
///
/// The policy allows nothing but the site's own origin: no inline script or style, no
/// framing, no `<base>`, no plugins. The generated pages are built to live within it.
public struct SecurityHeaders: Sendable {
    /// The Content-Security-Policy sent on every response.
    public static let contentSecurityPolicy = contentSecurityPolicy()

    /// The policy, allowing also the inline scripts and styles with these base64 SHA-256
    /// digests: the connect page's, which the build lists in the manifest.
    public static func contentSecurityPolicy(scriptHashes: [String] = [], styleHashes: [String] = [],
                                             frameAncestors: [String] = []) -> String {
        let sources = { (hashes: [String]) in hashes.map { " 'sha256-\($0)'" }.joined() }
        return [
        "default-src 'self'",
        "script-src 'self'" + sources(scriptHashes),
        "style-src 'self'" + sources(styleHashes),
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors " + (frameAncestors.isEmpty ? "'none'" : frameAncestors.joined(separator: " ")),
        "base-uri 'none'",
        "object-src 'none'",
        ].joined(separator: "; ")
    }

    /// Two years, with subdomains: the value the HSTS preload list asks for.
    public static let strictTransportSecurity = "max-age=63072000; includeSubDomains"

    /// The fields, built once.
    public let fields: HTTPFields
    /// The same, as name and value pairs for the channel handlers, which write NIO's
    /// HTTP/1 headers.
    let pairs: [(name: String, value: String)]
    /// Their names, lowercase: an upstream's header of the same name is replaced.
    let lowercasedNames: Set<String>

    /// - Parameter hsts: Whether to send `Strict-Transport-Security` (only behind TLS).
    public init(hsts: Bool) {
        var fields = HTTPFields()
        fields[.contentSecurityPolicy] = Self.contentSecurityPolicy
        fields[.xContentTypeOptions] = "nosniff"
        fields[.referrerPolicy] = "no-referrer"
        fields[.xFrameOptions] = "DENY"
        if hsts { fields[.strictTransportSecurity] = Self.strictTransportSecurity }
        self.fields = fields
        pairs = fields.map { ($0.name.rawName, $0.value) }
        lowercasedNames = Set(fields.map { $0.name.canonicalName })
    }

    /// The fields of a page that inlines scripts or styles with these digests. A digest that
    /// is not base64 is left out: it could not be a hash, and could break the policy.
    /// A page that origins may embed loses `X-Frame-Options: DENY`, which cannot name them;
    /// `frame-ancestors` says who may. A listed origin that is not one is dropped.
    public func fields(scriptHashes: [String]?, styleHashes: [String]?, frameAncestors: [String]? = nil) -> HTTPFields {
        let valid = { (hashes: [String]?) in (hashes ?? []).filter(Self.isBase64Digest) }
        let scripts = valid(scriptHashes), styles = valid(styleHashes)
        let embedders = (frameAncestors ?? []).filter(Self.isOrigin)
        guard !scripts.isEmpty || !styles.isEmpty || !embedders.isEmpty else { return fields }
        var copy = fields
        copy[.contentSecurityPolicy] = Self.contentSecurityPolicy(scriptHashes: scripts, styleHashes: styles, frameAncestors: embedders)
        if !embedders.isEmpty { copy[.xFrameOptions] = nil }
        return copy
    }

    /// `http(s)://host[:port]` with nothing that could end a CSP source list.
    static func isOrigin(_ text: String) -> Bool {
        guard text.hasPrefix("https://") || text.hasPrefix("http://") else { return false }
        let rest = text.drop { $0 != "/" }.dropFirst(2)
        return !rest.isEmpty && rest.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || ".-:[]".contains($0)) }
    }

    /// 44 characters of base64 ending in `=`: a SHA-256 digest.
    static func isBase64Digest(_ text: String) -> Bool {
        text.utf8.count == 44 && text.hasSuffix("=")
            && text.utf8.dropLast().allSatisfy { $0.isASCIIAlphanumeric || $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "/") }
    }

    /// Sets every security header on `headers`, replacing any value already there.
    public func apply(to headers: inout HTTPFields) {
        for field in fields { headers[field.name] = field.value }
    }
}

extension UInt8 {
    fileprivate var isASCIIAlphanumeric: Bool {
        (self >= 0x30 && self <= 0x39) || (self >= 0x41 && self <= 0x5A) || (self >= 0x61 && self <= 0x7A)
    }
}

extension HTTPField.Name {
    static let referrerPolicy = Self("Referrer-Policy")!
    static let xFrameOptions = Self("X-Frame-Options")!
    static let xRequestID = Self("X-Request-Id")!
    static let xForwardedFor = Self("X-Forwarded-For")!
    static let xForwardedProto = Self("X-Forwarded-Proto")!
    static let xForwardedHost = Self("X-Forwarded-Host")!
    static let keepAlive = Self("Keep-Alive")!
    static let proxyConnection = Self("Proxy-Connection")!
}
