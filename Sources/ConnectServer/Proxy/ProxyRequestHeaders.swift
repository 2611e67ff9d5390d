import NIOHTTP1

/// The client headers the proxy looks at, read in one pass over the request's headers:
/// the policy and the upstream request each needed several lookups, and each lookup
/// scanned every header and made an array (measured with `perf` in BENCHMARKS.md).
struct ProxyRequestHeaders {
    var contentLength: String?
    var authorization: [String] = []
    /// The values of `Connection`: the headers they name are hop-by-hop.
    var connection: [String] = []
    var forwardedFor: String?
    var forwardedProto: String?
    var forwardedHost: String?
    var host: String?
    var requestID: String?
    /// The headers forwarded as they are (``ProxyHeaders/forwarded``), in order.
    var passed: [(name: String, value: String)] = []

    /// No headers at all.
    init() {}

    init(_ headers: HTTPHeaders) {
        for (name, value) in headers {
            let lower = name.utf8
            switch lower.count {
            case 4 where name[...].equalsLowercased("host"): host = host ?? value
            case 6 where name[...].equalsLowercased("accept"): passed.append((name, value))
            case 10 where name[...].equalsLowercased("connection"): connection.append(value)
            case 10 where name[...].equalsLowercased("user-agent"): passed.append((name, value))
            case 12 where name[...].equalsLowercased("content-type"): passed.append((name, value))
            case 12 where name[...].equalsLowercased("x-request-id"): requestID = requestID.joinedHeader(value)
            case 13 where name[...].equalsLowercased("authorization"):
                authorization.append(value)
                passed.append((name, value))
            case 14 where name[...].equalsLowercased("content-length"): contentLength = contentLength ?? value
            case 15 where name[...].equalsLowercased("accept-language"): passed.append((name, value))
            case 15 where name[...].equalsLowercased("x-forwarded-for"): forwardedFor = forwardedFor.joinedHeader(value)
            case 16 where name[...].equalsLowercased("x-forwarded-host"): forwardedHost = forwardedHost.joinedHeader(value)
            case 17 where name[...].equalsLowercased("x-forwarded-proto"): forwardedProto = forwardedProto.joinedHeader(value)
            default: break
            }
        }
        if !connection.isEmpty {
            let dropped = ProxyHeaders.connectionNamed(connection)
            passed.removeAll { dropped.contains($0.name.lowercased()) }
        }
    }
}
