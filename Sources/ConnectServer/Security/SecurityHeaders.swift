import ConnectAPI
import HTTPTypes
import Hummingbird

/// The headers every response carries, static file or proxied call or error, as
/// ``ResponseHeaderPolicy`` (in ConnectAPI, shared with the deploy configs) decides them,
/// built once into the forms the server writes.
public struct SecurityHeaders: Sendable {
    /// The Content-Security-Policy sent on every response.
    public static let contentSecurityPolicy = ResponseHeaderPolicy.contentSecurityPolicy

    /// The policy, allowing also the inline scripts and styles with these base64 SHA-256
    /// digests: the connect page's, which the build lists in the manifest.
    public static func contentSecurityPolicy(scriptHashes: [String] = [], styleHashes: [String] = [],
                                             frameAncestors: [String] = []) -> String {
        ResponseHeaderPolicy.contentSecurityPolicy(scriptHashes: scriptHashes, styleHashes: styleHashes, frameAncestors: frameAncestors)
    }

    /// Two years, with subdomains: the value the HSTS preload list asks for.
    public static let strictTransportSecurity = ResponseHeaderPolicy.strictTransportSecurity

    /// The decisions these headers carry out.
    public let policy: ResponseHeaderPolicy
    /// The fields, built once.
    public let fields: HTTPFields
    /// The same, as name and value pairs for the channel handlers, which write NIO's
    /// HTTP/1 headers.
    let pairs: [(name: String, value: String)]
    /// Their names, lowercase: an upstream's header of the same name is replaced.
    let lowercasedNames: Set<String>

    /// - Parameter hsts: Whether to send `Strict-Transport-Security` (only behind TLS).
    public init(hsts: Bool) {
        policy = ResponseHeaderPolicy(hsts: hsts)
        let fields = Self.httpFields(policy.fields)
        self.fields = fields
        pairs = fields.map { ($0.name.rawName, $0.value) }
        lowercasedNames = Set(fields.map { $0.name.canonicalName })
    }

    /// The fields of a page that inlines scripts or styles with these digests, or that
    /// origins may embed: ``ResponseHeaderPolicy/fields(scriptHashes:styleHashes:frameAncestors:)``.
    public func fields(scriptHashes: [String]?, styleHashes: [String]?, frameAncestors: [String]? = nil) -> HTTPFields {
        let page = ResponseHeaderPolicy.PageAllowances(scriptHashes: scriptHashes, styleHashes: styleHashes, frameAncestors: frameAncestors)
        guard !page.isEmpty else { return fields }
        return Self.httpFields(policy.fields(scriptHashes: scriptHashes, styleHashes: styleHashes, frameAncestors: frameAncestors))
    }

    /// `http(s)://host[:port]` with nothing that could end a CSP source list.
    static func isOrigin(_ text: String) -> Bool { ResponseHeaderPolicy.isOrigin(text) }

    /// 44 characters of base64 ending in `=`: a SHA-256 digest.
    static func isBase64Digest(_ text: String) -> Bool { ResponseHeaderPolicy.isBase64Digest(text) }

    /// Sets every security header on `headers`, replacing any value already there.
    public func apply(to headers: inout HTTPFields) {
        for field in fields { headers[field.name] = field.value }
    }

    private static func httpFields(_ policyFields: [ResponseHeaderPolicy.Field]) -> HTTPFields {
        var fields = HTTPFields()
        for field in policyFields {
            if let name = HTTPField.Name(field.name) { fields[name] = field.value }
        }
        return fields
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
