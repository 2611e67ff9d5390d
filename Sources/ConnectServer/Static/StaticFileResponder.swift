import Hummingbird

/// Answers a GET or HEAD for a path of the site from a ``StaticSite``: conditional
/// requests, byte ranges, the gzip variant, the trailing-slash redirect, and the 404 page.
struct StaticFileResponder: Sendable {
    let security: SecurityHeaders

    /// - Parameters:
    ///   - site: The site the request started with.
    ///   - path: The decoded path.
    ///   - rawPath: The path as it arrived, reused in a redirect's `Location`.
    ///   - query: The query as it arrived, kept across a redirect.
    func respond(site: StaticSite, path: String, rawPath: Substring, query: Substring?,
                 request: Request) -> Response {
        let method = request.method
        guard method == .get || method == .head else {
            return ErrorAnswer.plain(.methodNotAllowed, headers: [("Allow", "GET, HEAD")]).response(security: security, requestID: nil)
        }
        guard let file = site.files[path] else {
            if !path.hasSuffix("/"), site.files[path + "/"] != nil {
                return redirect(to: rawPath + "/", query: query)
            }
            // A folder's page has one address, the folder's, as Caddy keeps it: `/index.html`
            // and `/docs/index.html` go to `/` and `/docs/`.
            if path.hasSuffix("/index.html"), site.files[String(path.dropLast("index.html".count))] != nil,
               let slash = rawPath.lastIndex(of: "/") {
                return redirect(to: rawPath[...slash], query: query)
            }
            return notFound(site: site, request: request)
        }
        return serve(file, request: request)
    }

    /// The 404 answer, with the site's 404 page as its body when it has one.
    func notFound(site: StaticSite, request: Request) -> Response {
        guard let page = site.notFound?.identity else {
            return ErrorAnswer.plain(.notFound).response(security: security, requestID: nil)
        }
        var headers = page.fullHeaders
        headers[.eTag] = nil
        headers[.acceptRanges] = nil
        headers[.vary] = nil
        headers[.cacheControl] = "no-cache"
        if request.method == .head { return Response(status: .notFound, headers: headers) }
        return Response(status: .notFound, headers: headers, body: body(page, range: nil))
    }
}

private extension StaticFileResponder {
    func serve(_ file: StaticFile, request: Request) -> Response {
        let headers = request.headers
        let isHead = request.method == .head
        let answer = StaticAnswer(file: file, isHead: isHead, headers: StaticRequestHeaders(
            acceptEncoding: headers[.acceptEncoding], ifNoneMatch: headers[.ifNoneMatch],
            range: headers[.range], ifRange: headers[.ifRange]))
        switch answer {
        case .notModified(let chosen):
            return Response(status: .notModified, headers: chosen.notModifiedHeaders)
        case .full(let chosen):
            if isHead { return Response(status: .ok, headers: chosen.fullHeaders) }
            return Response(status: .ok, headers: chosen.fullHeaders, body: body(chosen, range: nil))
        case .partial(let chosen, let range):
            var partial = chosen.partialHeaders
            partial[.contentRange] = "bytes \(range.lowerBound)-\(range.upperBound)/\(chosen.size)"
            partial[.contentLength] = String(range.count)
            return Response(status: .partialContent, headers: partial, body: body(chosen, range: range))
        case .unsatisfiable(let size):
            var unsatisfiable = security.fields
            unsatisfiable[.contentRange] = "bytes */\(size)"
            unsatisfiable[.contentLength] = "0"
            return Response(status: .rangeNotSatisfiable, headers: unsatisfiable)
        }
    }

    func body(_ representation: StaticRepresentation, range: ClosedRange<Int>?) -> ResponseBody {
        switch representation.content {
        case .memory(let buffer):
            guard let range else { return ResponseBody(byteBuffer: buffer) }
            return ResponseBody(byteBuffer: buffer.getSlice(at: buffer.readerIndex + range.lowerBound, length: range.count)!)
        case .disk(let file):
            guard representation.size > 0 else { return ResponseBody() }
            return file.body(range: range ?? 0...(representation.size - 1))
        }
    }

    /// A 301 to `location`, a path as it arrived (its encoding kept), with the query.
    func redirect(to location: some StringProtocol, query: Substring?) -> Response {
        var location = String(location)
        if let query { location += "?" + query }
        return ErrorAnswer.plain(.movedPermanently, cacheControl: "no-cache", headers: [("Location", location)])
            .response(security: security, requestID: nil)
    }
}
