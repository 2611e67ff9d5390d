/// The error shape of every endpoint of the contract:
/// `{"error": {"code": "unauthorized", "message": "Unauthorized"}}`.
public struct ErrorBody: Codable, Sendable, Equatable {
    public struct Detail: Codable, Sendable, Equatable {
        public var code: ErrorCode
        public var message: String
        /// Field name to message, on a 400 only.
        public var details: [String: String]?
    }

    public var error: Detail

    public init(_ code: ErrorCode, message: String? = nil, details: [String: String]? = nil) {
        self.error = Detail(code: code, message: message ?? code.defaultMessage, details: details)
    }
}

/// The codes of the contract, plus the proxy's own (decisions in `connect-api.md`).
public enum ErrorCode: String, Codable, Sendable, CaseIterable {
    case badRequest = "bad_request"
    case unauthorized
    case forbidden
    case notFound = "not_found"
    case methodNotAllowed = "method_not_allowed"
    case payloadTooLarge = "payload_too_large"
    case tooManyRequests = "too_many_requests"
    case badGateway = "bad_gateway"
    case gatewayTimeout = "gateway_timeout"

    public var status: Int {
        switch self {
        case .badRequest: 400
        case .unauthorized: 401
        case .forbidden: 403
        case .notFound: 404
        case .methodNotAllowed: 405
        case .payloadTooLarge: 413
        case .tooManyRequests: 429
        case .badGateway: 502
        case .gatewayTimeout: 504
        }
    }

    public var defaultMessage: String {
        switch self {
        case .badRequest: "Bad Request"
        case .unauthorized: "Unauthorized"
        case .forbidden: "Forbidden"
        case .notFound: "Not Found"
        case .methodNotAllowed: "Method Not Allowed"
        case .payloadTooLarge: "Payload Too Large"
        case .tooManyRequests: "Too Many Requests"
        case .badGateway: "Bad Gateway"
        case .gatewayTimeout: "Gateway Timeout"
        }
    }
}

extension ErrorCode {
    /// For the API reference's errors tables: what the caller does about it.
    public var remedy: String {
        switch self {
        case .badRequest: "Fix the fields that `details` names, then send again."
        case .unauthorized: "Get a fresh token from the App's backend (a connect token lasts 24 hours), or check the Access Key."
        case .forbidden: "The credential is valid but not for this call: check which App it belongs to."
        case .notFound: "Check the ids in the path: the App or the requirement may not exist, or not for this token."
        case .methodNotAllowed: "Use the operation's documented method."
        case .payloadTooLarge: "Send a smaller body."
        case .tooManyRequests: "Wait the `Retry-After` seconds, then call again."
        case .badGateway, .gatewayTimeout: "Retry after a few seconds."
        }
    }
}
