import NIOCore
import NIOHTTP1

/// Answers the site's most common requests inside the channel: a GET or HEAD of a file
/// held in memory, with 200 or 304. Every other request (the proxy, ranges, redirects,
/// 404s, files served from disk) passes on. It answers as soon as the head is read: a body
/// on a GET means nothing to a file, and ``RequestSequencer`` drops it (or closes the
/// connection when it is too large to drop).
///
/// Why: Hummingbird's per-request cost (a task hop, the async responder, the conversion
/// to `HTTPTypes`) held the server at about 0.7× nginx on static files (BENCHMARKS.md).
/// Here a request costs a dictionary lookup and two writes of values built at load.
///
/// The answer itself is decided by ``StaticAnswer``, the same code the Hummingbird path
/// runs, so the two cannot disagree on a validator, a coding or a header.

final class SiteFastPath: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    struct Configuration: Sendable {
        let store: SiteStore
        let accessLog: AccessLog
        /// False hands every request on (tests compare the two paths with it).
        var answersFiles = true
    }

    /// A response ready to write once the request's end arrives.
    fileprivate struct Answer {
        var head: HTTPResponseHead
        var body: ByteBuffer?
        var method: HTTPMethod
        var rawPath: Substring
        var query: Substring?
        var requestID: String?
        var started: NIODeadline
    }

    private let configuration: Configuration
    /// The current request goes on to the handlers behind, part by part.
    private var passing = false
    private var needsFlush = false

    init(_ configuration: Configuration) { self.configuration = configuration }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            if let answer = answer(to: head) {
                passing = false
                write(answer, context: context)
            } else {
                passing = true
                context.fireChannelRead(data)
            }
        case .body:
            if passing { context.fireChannelRead(data) }
        case .end:
            if passing { context.fireChannelRead(data) }
            passing = false
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if needsFlush {
            needsFlush = false
            context.flush()
        }
        context.fireChannelReadComplete()
    }
}

private extension SiteFastPath {
    /// The answer when this path can give it, nil to hand the request on.
    func answer(to head: HTTPRequestHead) -> Answer? {
        guard configuration.answersFiles, head.method == .GET || head.method == .HEAD else { return nil }
        let (rawPath, query) = RequestPath.split(target: head.uri)
        guard RouteClass(rawPath: rawPath) == .site, case .path(let path) = RequestPath.decode(rawPath) else {
            return nil
        }
        let site = configuration.store.current
        guard let file = site.files[path] else { return nil }
        let headers = FastPathHeaders(head.headers)
        let isHead = head.method == .HEAD
        let decided = StaticAnswer(file: file, isHead: isHead, headers: headers.conditions)
        let started = NIODeadline.now()
        let requestID = headers.requestID
        switch decided {
        case .full(let chosen):
            guard case .memory(let buffer) = chosen.content else { return nil }
            return Answer(head: chosen.okHead,
                          body: isHead || chosen.size == 0 ? nil : buffer,
                          method: head.method, rawPath: rawPath, query: query, requestID: requestID, started: started)
        case .notModified(let chosen):
            return Answer(head: chosen.notModifiedHead,
                          body: nil, method: head.method, rawPath: rawPath, query: query, requestID: requestID, started: started)
        case .partial, .unsatisfiable:
            return nil
        }
    }

    func write(_ answer: Answer, context: ChannelHandlerContext) {
        context.write(wrapOutboundOut(.head(answer.head)), promise: nil)
        if let body = answer.body { context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil) }
        context.write(wrapOutboundOut(.end(nil)), promise: nil)
        needsFlush = true
        configuration.accessLog.record(AccessRecord(
            method: answer.method.rawValue, rawPath: answer.rawPath, query: answer.query, status: Int(answer.head.status.code),
            bytes: answer.body?.readableBytes ?? 0, started: answer.started, requestID: RequestIdentifier.resolve(answer.requestID),
            route: .site, peer: context.channel.remoteAddress))
    }
}
