/// The security headers of every answer the site gives, whoever serves it: connect-server
/// sends them, and `build-site` writes them into the nginx, Caddy and `_headers` configs it
/// generates, so the copies cannot drift from the server.
///
/// The Content-Security-Policy allows nothing but the site's own origin: no inline script or
/// style, no framing, no `<base>`, no plugins. The generated pages are built to live within it.
/// Only a page that inlines its first paint (the connect page) is allowed its own scripts and
/// styles by digest, and only a page that named origins may embed drops `X-Frame-Options`.
public struct ResponseHeaderPolicy: Sendable, Equatable {
    /// One header line.
    public struct Field: Sendable, Equatable {
        public var name: String
        public var value: String

        public init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    /// The header names, as sent.
    public static let contentSecurityPolicyName = "Content-Security-Policy"
    public static let contentTypeOptionsName = "X-Content-Type-Options"
    public static let referrerPolicyName = "Referrer-Policy"
    public static let frameOptionsName = "X-Frame-Options"
    public static let strictTransportSecurityName = "Strict-Transport-Security"

    /// Every security header name the policy can send, in the order it sends them.
    public static let names = [contentSecurityPolicyName, contentTypeOptionsName, referrerPolicyName,
                               frameOptionsName, strictTransportSecurityName]

    /// The Content-Security-Policy of every answer but the connect page's.
    public static let contentSecurityPolicy = contentSecurityPolicy()

    /// Two years, with subdomains: the value the HSTS preload list asks for.
    public static let strictTransportSecurity = "max-age=63072000; includeSubDomains"

    /// Whether `Strict-Transport-Security` is sent (only behind TLS).
    public var hsts: Bool

    public init(hsts: Bool) {
        self.hsts = hsts
    }

    /// The policy, allowing also the inline scripts and styles with these base64 SHA-256
    /// digests, and framing by these origins (none when empty). The values are used as
    /// given: ``fields(scriptHashes:styleHashes:frameAncestors:)`` validates them first.
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

    /// The security headers of every answer but a page with inline code or embedders.
    public var fields: [Field] {
        var fields = [
            Field(Self.contentSecurityPolicyName, Self.contentSecurityPolicy),
            Field(Self.contentTypeOptionsName, "nosniff"),
            Field(Self.referrerPolicyName, "no-referrer"),
            Field(Self.frameOptionsName, "DENY"),
        ]
        if hsts { fields.append(Field(Self.strictTransportSecurityName, Self.strictTransportSecurity)) }
        return fields
    }

    /// The security headers of a page that inlines scripts or styles with these digests
    /// (a manifest entry's `scriptHashes`, `styleHashes`, `frameAncestors`). A digest that
    /// is not base64 is left out: it could not be a hash, and could break the policy. A page
    /// that origins may embed loses `X-Frame-Options: DENY`, which cannot name them;
    /// `frame-ancestors` says who may. A listed origin that is not one is dropped.
    public func fields(scriptHashes: [String]?, styleHashes: [String]?, frameAncestors: [String]? = nil) -> [Field] {
        let page = PageAllowances(scriptHashes: scriptHashes, styleHashes: styleHashes, frameAncestors: frameAncestors)
        guard !page.isEmpty else { return fields }
        return fields.compactMap { field in
            switch field.name {
            case Self.contentSecurityPolicyName:
                Field(field.name, Self.contentSecurityPolicy(scriptHashes: page.scriptHashes, styleHashes: page.styleHashes,
                                                             frameAncestors: page.frameAncestors))
            case Self.frameOptionsName where !page.frameAncestors.isEmpty: nil
            default: field
            }
        }
    }

    /// What one page is allowed beyond the default policy, validated.
    public struct PageAllowances: Sendable, Equatable, Hashable {
        public var scriptHashes: [String]
        public var styleHashes: [String]
        public var frameAncestors: [String]

        public init(scriptHashes: [String]?, styleHashes: [String]?, frameAncestors: [String]?) {
            self.scriptHashes = (scriptHashes ?? []).filter(ResponseHeaderPolicy.isBase64Digest)
            self.styleHashes = (styleHashes ?? []).filter(ResponseHeaderPolicy.isBase64Digest)
            self.frameAncestors = (frameAncestors ?? []).filter(ResponseHeaderPolicy.isOrigin)
        }

        /// Nothing beyond the default policy.
        public var isEmpty: Bool { scriptHashes.isEmpty && styleHashes.isEmpty && frameAncestors.isEmpty }
    }

    /// `http(s)://host[:port]` with nothing that could end a CSP source list.
    public static func isOrigin(_ text: String) -> Bool {
        guard text.hasPrefix("https://") || text.hasPrefix("http://") else { return false }
        let rest = text.drop { $0 != "/" }.dropFirst(2)
        return !rest.isEmpty && rest.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || ".-:[]".contains($0)) }
    }

    /// 44 characters of base64 ending in `=`: a SHA-256 digest.
    public static func isBase64Digest(_ text: String) -> Bool {
        text.utf8.count == 44 && text.hasSuffix("=")
            && text.utf8.dropLast().allSatisfy { byte in
                (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                    || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "/")
            }
    }
}
