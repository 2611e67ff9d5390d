import Foundation

/// How the proxy refuses a `/v1` call without asking the upstream, whoever proxies it:
/// connect-server answers from here, and the generated nginx and Caddy configs write the
/// same statuses, headers and bodies.
public enum ProxyRefusal {
    /// The largest request body forwarded, in bytes; more is `413 payload_too_large`.
    public static let maxBodyBytes = 64 * 1024
    /// The `Content-Type` of every refusal in the contract's error shape.
    public static let contentType = "application/json; charset=utf-8"
    /// The challenge sent with `401`: the call needs `Authorization: Bearer <token>`.
    public static let challenge = ResponseHeaderPolicy.Field("WWW-Authenticate", "Bearer")

    /// `{"error":{"code":"not_found","message":"Not Found"}}`, keys sorted: the bytes of a
    /// refusal's body.
    public static func body(_ code: ErrorCode, message: String? = nil) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? encoder.encode(ErrorBody(code, message: message))) ?? Data()
    }

    /// Whether an `Authorization` header's values hold exactly one `Bearer` (any case)
    /// credential with a non-empty token.
    public static func hasBearer(_ values: [String]) -> Bool {
        guard values.count == 1, let value = values.first, value.utf8.count > 7 else { return false }
        guard value.prefix(7).lowercased() == "bearer " else { return false }
        return !value.dropFirst(7).allSatisfy { $0 == " " || $0 == "\t" }
    }

    /// The same rule as a regular expression over the one header's value (case-insensitive
    /// where the server's syntax allows a flag): for the generated configs.
    public static let bearerPattern = "^[Bb][Ee][Aa][Rr][Ee][Rr] [ \\t]*[^ \\t]"
}
