import AsyncHTTPClient
import HTTPTypes
import Hummingbird
import NIOHTTP1

/// Which headers cross the proxy, in each direction.
enum ProxyHeaders {
    /// The only client headers forwarded upstream (the contract needs no others).
    static let forwarded: [HTTPField.Name] = [.authorization, .contentType, .accept, .acceptLanguage, .userAgent]

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

    /// The headers of the upstream request.
    static func upstreamRequest(from request: Request, client: ClientAddress, requestID: String) -> HTTPHeaders {
        let incoming = request.headers
        let dropped = connectionNamed(incoming[values: .connection])
        var headers = HTTPHeaders()
        for name in forwarded where !dropped.contains(name.canonicalName) {
            for value in incoming[values: name] { headers.add(name: name.rawName, value: value) }
        }
        let sentFor = client.peerIsTrusted ? incoming[.xForwardedFor] : nil
        if let peer = client.peer {
            headers.add(name: "X-Forwarded-For", value: sentFor.map { "\($0), \(peer)" } ?? peer)
        } else if let sentFor {
            headers.add(name: "X-Forwarded-For", value: sentFor)
        }
        let sentProto = client.peerIsTrusted ? incoming[.xForwardedProto] : nil
        headers.add(name: "X-Forwarded-Proto", value: sentProto ?? "http")
        let sentHost = client.peerIsTrusted ? incoming[.xForwardedHost] : nil
        if let host = sentHost ?? request.head.authority {
            headers.add(name: "X-Forwarded-Host", value: host)
        }
        headers.add(name: "X-Request-Id", value: requestID)
        return headers
    }

    /// The upstream's response headers, less hop-by-hop ones and those the proxy sets itself.
    static func downstreamResponse(from upstream: HTTPHeaders, security: SecurityHeaders, requestID: String) -> HTTPFields {
        let dropped = connectionNamed(upstream[canonicalForm: "connection"].map(String.init))
        var fields = HTTPFields()
        for (name, value) in upstream {
            let lower = name.lowercased()
            guard !hopByHop.contains(lower), !dropped.contains(lower), lower != "content-length",
                  lower != "x-request-id", let fieldName = HTTPField.Name(name) else { continue }
            fields.append(HTTPField(name: fieldName, value: value))
        }
        security.apply(to: &fields)
        fields[.xRequestID] = requestID
        return fields
    }
}
