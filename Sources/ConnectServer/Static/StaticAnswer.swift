import NIOHTTP1

/// The request headers that decide how a file is answered.
struct StaticRequestHeaders {
    var acceptEncoding: String?
    var ifNoneMatch: String?
    var range: String?
    var ifRange: String?
}

/// What the channel's fast path reads of a request's headers, in one pass: a lookup per
/// header scanned them all and made an array each time (perf, BENCHMARKS.md).
struct FastPathHeaders {
    var conditions = StaticRequestHeaders()
    var requestID: String?

    init(_ headers: HTTPHeaders) {
        for (name, value) in headers {
            switch name.utf8.count {
            case 5 where name[...].equalsLowercased("range"): conditions.range = conditions.range.joinedHeader(value)
            case 8 where name[...].equalsLowercased("if-range"): conditions.ifRange = conditions.ifRange.joinedHeader(value)
            case 12 where name[...].equalsLowercased("x-request-id"): requestID = value
            case 13 where name[...].equalsLowercased("if-none-match"): conditions.ifNoneMatch = conditions.ifNoneMatch.joinedHeader(value)
            case 15 where name[...].equalsLowercased("accept-encoding"):
                conditions.acceptEncoding = conditions.acceptEncoding.joinedHeader(value)
            default: break
            }
        }
    }
}

/// How the site answers a GET or HEAD of one of its files: decided here once, then written
/// either by the channel's fast path (``StaticFastPath``) or through Hummingbird
/// (``StaticFileResponder``), so that both give the same answer.
enum StaticAnswer {
    /// 200 with the representation (its body unless the request is a HEAD).
    case full(StaticRepresentation)
    /// 304: the client's copy is current.
    case notModified(StaticRepresentation)
    /// 206 with one range of the representation.
    case partial(StaticRepresentation, ClosedRange<Int>)
    /// 416: no byte of the range exists.
    case unsatisfiable(size: Int)

    init(file: StaticFile, isHead: Bool, headers: StaticRequestHeaders) {
        // A Range is only defined for GET, and a slice of gzip bytes helps no one.
        let rangeHeader = isHead ? nil : headers.range
        var chosen = file.identity
        if rangeHeader == nil, let gzip = file.gzip, AcceptEncoding.acceptsGzip(headers.acceptEncoding) {
            chosen = gzip
        }
        if let ifNoneMatch = headers.ifNoneMatch, EntityTag.noneMatchHits(ifNoneMatch, etag: chosen.etag) {
            self = .notModified(chosen)
            return
        }
        if let rangeHeader, headers.ifRange.map({ EntityTag.ifRangeHolds($0, etag: chosen.etag) }) ?? true {
            switch ByteRange(header: rangeHeader, size: chosen.size) {
            case .whole:
                break
            case .partial(let range):
                self = .partial(chosen, range)
                return
            case .unsatisfiable:
                self = .unsatisfiable(size: chosen.size)
                return
            }
        }
        self = .full(chosen)
    }
}
