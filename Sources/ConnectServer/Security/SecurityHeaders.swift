import HTTPTypes
import Hummingbird

/// The headers every response carries, static file or proxied call or error.
///
/// The policy allows nothing but the site's own origin: no inline script or style, no
/// framing, no `<base>`, no plugins. The generated pages are built to live within it.
public struct SecurityHeaders: Sendable {
    /// The Content-Security-Policy sent on every response.
    public static let contentSecurityPolicy = [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "object-src 'none'",
    ].joined(separator: "; ")

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

    /// Sets every security header on `headers`, replacing any value already there.
    public func apply(to headers: inout HTTPFields) {
        for field in fields { headers[field.name] = field.value }
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
