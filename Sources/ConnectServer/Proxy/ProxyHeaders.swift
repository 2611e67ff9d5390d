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
            for token in value.split(separator: ",") {
                names.insert(String(token.trimmingOptionalWhitespace()).lowercased())
            }
        }
        return names
    }

    /// A header's values joined as one (`X-Forwarded-For` may arrive in several lines).
    static func combined(_ headers: HTTPHeaders, _ name: String) -> String? {
        let values = headers[name]
        return values.isEmpty ? nil : values.joined(separator: ", ")
    }

    /// The headers of the upstream request.
    /// - Parameters:
    ///   - incoming: The client's headers.
    ///   - client: Who the client is.
    ///   - requestID: The request's id.
    ///   - host: The upstream's `Host`.
    ///   - bodyLength: The body's length, nil for a request without one.
    static func upstreamRequest(from incoming: HTTPHeaders, client: ClientAddress, requestID: String,
                                host: String, bodyLength: Int?) -> HTTPHeaders {
        let dropped = connectionNamed(incoming["connection"])
        var headers = HTTPHeaders()
        headers.add(name: "Host", value: host)
        for name in forwarded where !dropped.contains(name.lowercased()) {
            for value in incoming[name] { headers.add(name: name, value: value) }
        }
        let sentFor = client.peerIsTrusted ? combined(incoming, "x-forwarded-for") : nil
        if let peer = client.peer {
            headers.add(name: "X-Forwarded-For", value: sentFor.map { "\($0), \(peer)" } ?? peer)
        } else if let sentFor {
            headers.add(name: "X-Forwarded-For", value: sentFor)
        }
        let sentProto = client.peerIsTrusted ? combined(incoming, "x-forwarded-proto") : nil
        headers.add(name: "X-Forwarded-Proto", value: sentProto ?? "http")
        let sentHost = client.peerIsTrusted ? combined(incoming, "x-forwarded-host") : nil
        if let forwardedHost = sentHost ?? incoming.first(name: "host") {
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
        for (name, value) in upstream {
            let lower = name.lowercased()
            guard !hopByHop.contains(lower), !dropped.contains(lower), lower != "x-request-id",
                  !(transferCoded && lower == "content-length"), !security.lowercasedNames.contains(lower) else { continue }
            headers.add(name: name, value: value)
        }
        for (name, value) in security.pairs { headers.add(name: name, value: value) }
        headers.add(name: "X-Request-Id", value: requestID)
        return headers
    }
}
