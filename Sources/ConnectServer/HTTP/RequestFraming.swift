import NIOHTTP1

/// How a request's body is framed, judged from its head before any handler sees it, as
/// strictly as nginx and RFC 9112 §6: a lone `chunked` is the only transfer coding taken,
/// and a message that says both `Content-Length` and `Transfer-Encoding` is how requests
/// are smuggled past a proxy.
enum RequestFraming: Equatable {
    /// No body, or a body of this declared length.
    case length(Int)
    /// A chunked body of unknown length.
    case chunked
    /// Refused with this status: 400 (both framings, a bad length) or 501 (a coding other
    /// than `chunked`).
    case refused(HTTPResponseStatus)

    init(_ headers: HTTPHeaders) {
        var lengths: [String] = []
        var codings: [Substring] = []
        var sawCoding = false
        for (name, value) in headers {
            if name.utf8.count == 14, name[...].equalsLowercased("content-length") {
                lengths.append(value)
            } else if name.utf8.count == 17, name[...].equalsLowercased("transfer-encoding") {
                sawCoding = true
                codings.append(contentsOf: HeaderList(value))
            }
        }
        if sawCoding {
            guard lengths.isEmpty else { self = .refused(.badRequest); return }
            guard codings.count == 1, codings[0].equalsLowercased("chunked") else { self = .refused(.notImplemented); return }
            self = .chunked
            return
        }
        guard let first = lengths.first else { self = .length(0); return }
        // Repeated lines must agree; a list (`5, 5`) is refused as nginx refuses it.
        guard lengths.allSatisfy({ $0 == first }), !first.isEmpty, first.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
              first.utf8.count <= 18, let length = Int(first) else {
            self = .refused(.badRequest)
            return
        }
        self = .length(length)
    }
}
