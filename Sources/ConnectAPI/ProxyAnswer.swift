/// The answers the proxy gives itself, without the upstream's word: one list, which
/// connect-server answers from and the API reference prints on every proxied operation,
/// so the two cannot drift.
public enum ProxyAnswer: CaseIterable, Sendable {
    /// The method and path are not on the allow-list (``ConnectRoute``).
    case notAllowListed
    /// No `Authorization: Bearer <token>`, or more than one.
    case noBearer
    /// A body over ``ProxyRefusal/maxBodyBytes``.
    case bodyTooLarge
    /// Over `--rate-limit` calls a minute from one client.
    case rateLimited
    /// The upstream could not be reached, reset the connection or sent something not HTTP.
    case upstreamInvalid
    /// The upstream did not answer within `--upstream-timeout`.
    case upstreamTimeout

    public var code: ErrorCode {
        switch self {
        case .notAllowListed: .notFound
        case .noBearer: .unauthorized
        case .bodyTooLarge: .payloadTooLarge
        case .rateLimited: .tooManyRequests
        case .upstreamInvalid: .badGateway
        case .upstreamTimeout: .gatewayTimeout
        }
    }

    /// The body's `message`; nil for the code's default.
    public var message: String? {
        switch self {
        case .upstreamInvalid: "The upstream could not be reached or sent an invalid answer."
        case .upstreamTimeout: "The upstream did not answer in time."
        default: nil
        }
    }

    /// A header the answer carries beside the error body.
    public var header: String? {
        switch self {
        case .noBearer: ProxyRefusal.challenge.name + ": " + ProxyRefusal.challenge.value
        case .rateLimited: "Retry-After: <seconds>"
        default: nil
        }
    }

    /// Whether a route can get this answer (only a call with a body can be too large).
    public func applies(to route: ConnectRoute) -> Bool {
        self == .bodyTooLarge ? route.hasBody : true
    }

    /// For the reference: when it happens.
    public var meaning: String {
        switch self {
        case .notAllowListed: "The proxy forwards only the documented method and path of each operation."
        case .noBearer: "The call has no `Authorization: Bearer` header, or more than one; it never reaches the API."
        case .bodyTooLarge: "The body is over \(ProxyRefusal.maxBodyBytes / 1024) KiB."
        case .rateLimited: "Too many calls from this client address in the last minute."
        case .upstreamInvalid: "The management API could not be reached, or did not answer in HTTP."
        case .upstreamTimeout: "The management API did not answer in time."
        }
    }

    /// For the reference: what the caller does about it.
    public var remedy: String {
        switch self {
        case .notAllowListed: "Check the method and the path, including the requirement's `id`."
        case .noBearer: "Send the connect token once, as `Authorization: Bearer <connect-token>`."
        case .bodyTooLarge: "Send only the fields the connection type declares."
        case .rateLimited: "Wait the `Retry-After` seconds, then call again."
        case .upstreamInvalid, .upstreamTimeout: "Retry after a few seconds; the hosted page does this by itself."
        }
    }
}
