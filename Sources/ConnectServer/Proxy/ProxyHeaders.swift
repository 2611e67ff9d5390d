import NIOHTTP1

/// Which headers cross the proxy, in each direction.
enum ProxyHeaders {
    /// The only client headers forwarded upstream (the contract needs no others).
    static let forwarded = ["Authorization", "Content-Type", "Accept", "Accept-Language", "User-Agent"]

    /// Hop-by-hop headers (RFC 9110 §7.6.1), never forwarded in either direction.
    static let hopByHop: Set<String> = [
        "connection", "keep-alive", "proxy-connection", "proxy-authenticate", "proxy-authorization",
        "te", "trailer", "transfer-encoding", "upgrade",
    ]

    /// The lowercase names a `Connection` header lists: hop-by-hop for this message.
    static func connectionNamed(_ values: [String]) -> Set<String> {
        var names = Set<String>()
        for value in values {
            for token in HeaderList(value) { names.insert(token.lowercased()) }
        }
        return names
    }

    /// The headers of the upstream request.
    /// - Parameters:
    ///   - incoming: The client's headers, as the proxy read them.
    ///   - client: Who the client is.
    ///   - requestID: The request's id.
    ///   - host: The upstream's `Host`.
    ///   - bodyLength: The body's length, nil for a request without one.
    static func upstreamRequest(from incoming: ProxyRequestHeaders, client: ClientAddress, requestID: String,
                                host: String, bodyLength: Int?) -> HTTPHeaders {
        var headers = HTTPHeaders()
        headers.reserveCapacity(incoming.passed.count + 6)
        headers.add(name: "Host", value: host)
        for (name, value) in incoming.passed { headers.add(name: name, value: value) }
        let sentFor = client.peerIsTrusted ? incoming.forwardedFor : nil
        if let peer = client.peer {
            headers.add(name: "X-Forwarded-For", value: sentFor.map { "\($0), \(peer)" } ?? peer)
        } else if let sentFor {
            headers.add(name: "X-Forwarded-For", value: sentFor)
        }
        let sentProto = client.peerIsTrusted ? incoming.forwardedProto : nil
        headers.add(name: "X-Forwarded-Proto", value: sentProto ?? "http")
        let sentHost = client.peerIsTrusted ? incoming.forwardedHost : nil
        if let forwardedHost = sentHost ?? incoming.host {
            headers.add(name: "X-Forwarded-Host", value: forwardedHost)
        }
        headers.add(name: "X-Request-Id", value: requestID)
        if let bodyLength { headers.add(name: "Content-Length", value: String(bodyLength)) }
        return headers
    }

    /// The upstream's response headers, less hop-by-hop ones and those the proxy sets itself.
    /// `Content-Length` stays (the body is passed on byte for byte) unless the upstream also
    /// sent `Transfer-Encoding`, whose decoding changes the length.
    static func downstreamResponse(from upstream: HTTPHeaders, security: SecurityHeaders, requestID: String) -> HTTPHeaders {
        let dropped = connectionNamed(upstream["connection"])
        let transferCoded = upstream.contains(name: "transfer-encoding")
        var headers = HTTPHeaders()
        headers.reserveCapacity(upstream.count + security.pairs.count + 1)
        for (name, value) in upstream {
            // Most upstream headers are in canonical case already; lowercase only if not.
            let lower = name.utf8.contains(where: { $0 >= 0x41 && $0 <= 0x5A }) ? name.lowercased() : name
            guard !hopByHop.contains(lower), dropped.isEmpty || !dropped.contains(lower), lower != "x-request-id",
                  !(transferCoded && lower == "content-length"), !security.lowercasedNames.contains(lower) else { continue }
            headers.add(name: name, value: value)
        }
        for (name, value) in security.pairs { headers.add(name: name, value: value) }
        headers.add(name: "X-Request-Id", value: requestID)
        return headers
    }
}
