import ConnectAPI

/// What the proxy does with a `/v1` request, decided from its head alone.
enum ProxyDecision {
    /// Answer with the contract's error shape and these extra headers; nothing goes upstream.
    case refuse(ErrorCode, message: String?, headers: [(String, String)])
    /// Send it upstream as this route, for this client.
    case forward(ConnectRoute, ClientAddress)
}

/// The rules a `/v1` call passes before it may go upstream: only the contract's routes,
/// within the client's rate, with one Bearer token, and a body within the limit.
struct ProxyPolicy: Sendable {
    let rateLimiter: RateLimiter
    let trustedProxies: Set<String>
    let maxBodyBytes: Int

    /// - Parameters:
    ///   - method: The request's method.
    ///   - rawPath: The path as it arrived.
    ///   - headers: The request's headers.
    ///   - peer: The TCP peer's IP address.
    func decide(method: String, rawPath: Substring, headers: ProxyRequestHeaders, peer: String?) -> ProxyDecision {
        // The framing (both lengths, odd codings) was judged before: ``RequestFraming``.
        guard case .path(let path) = RequestPath.decode(rawPath),
              let route = ConnectRoute.match(method: method, path: path) else {
            return Self.refuse(.notAllowListed)
        }
        let client = ClientAddress(peer: peer, forwardedFor: headers.forwardedFor, trusted: trustedProxies)
        if case .limited(let seconds) = rateLimiter.acquire(client: client.client) {
            return Self.refuse(.rateLimited, headers: [("Retry-After", String(seconds))])
        }
        guard Self.hasBearer(headers.authorization) else {
            return Self.refuse(.noBearer, headers: [(ProxyRefusal.challenge.name, ProxyRefusal.challenge.value)])
        }
        if let declared = headers.contentLength, (Int(declared) ?? .max) > maxBodyBytes {
            return Self.refuse(.bodyTooLarge)
        }
        return .forward(route, client)
    }

    /// One of the proxy's own answers, as ``ProxyAnswer`` (which the reference prints) has it.
    static func refuse(_ answer: ProxyAnswer, headers: [(String, String)] = []) -> ProxyDecision {
        .refuse(answer.code, message: answer.message, headers: headers)
    }

    /// Exactly one `Authorization` header, `Bearer` (any case) and a non-empty token: the rule
    /// of ``ProxyRefusal/hasBearer(_:)``, without its allocations (a test holds them equal).
    static func hasBearer(_ values: [String]) -> Bool {
        guard values.count == 1, let value = values.first, value.utf8.count > 7 else { return false }
        let scheme = value.prefix(7)
        guard scheme.equalsLowercased("bearer ") else { return false }
        return !value.dropFirst(7).trimmingOptionalWhitespace().isEmpty
    }
}
