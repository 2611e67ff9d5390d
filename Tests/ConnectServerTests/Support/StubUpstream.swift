import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import ServiceLifecycle

/// What the stub upstream saw of one call.
struct UpstreamCall: Sendable {
    var method: String
    var path: String
    var headers: HTTPFields
    var body: String
}

/// How the stub answers.
enum StubBehaviour: Sendable {
    /// 200 with a JSON echo of the path.
    case normal
    /// Like `normal`, after this long.
    case slow(Duration)
    /// 500 with an internal error text that must not be mistaken for the proxy's.
    case serverError
    /// 302 to elsewhere, which the proxy must not follow.
    case redirect
}

/// An upstream started inside the test: a tiny Hummingbird app on a free port.
final class StubUpstream: Sendable {
    let calls = NIOLockedValueBox<[UpstreamCall]>([])
    let behaviour: NIOLockedValueBox<StubBehaviour>

    init(_ behaviour: StubBehaviour = .normal) { self.behaviour = .init(behaviour) }

    var recorded: [UpstreamCall] { calls.withLockedValue { $0 } }

    /// Runs the stub for the length of `body`, handing it the stub's base URL.
    func run<Value: Sendable>(basePath: String = "/base", _ body: @Sendable (String) async throws -> Value) async throws -> Value {
        let router = Router()
        let stub = self
        router.on("**", method: .get) { request, _ in try await stub.answer(request) }
        router.on("**", method: .post) { request, _ in try await stub.answer(request) }
        return try await withRunning(router: router) { port in try await body("http://127.0.0.1:\(port)\(basePath)") }
    }

    private func answer(_ request: Request) async throws -> Response {
        var request = request
        let body = try await request.collectBody(upTo: 1 << 20)
        calls.withLockedValue {
            $0.append(UpstreamCall(method: request.method.rawValue, path: request.head.path ?? "",
                                   headers: request.headers, body: String(buffer: body)))
        }
        var headers: HTTPFields = [.contentType: "application/json"]
        headers[.connection] = "X-Upstream-Private"
        headers[HTTPField.Name("X-Upstream-Private")!] = "hop"
        headers[HTTPField.Name("Keep-Alive")!] = "timeout=5"
        headers[HTTPField.Name("X-Upstream-Kept")!] = "yes"
        switch behaviour.withLockedValue({ $0 }) {
        case .normal:
            break
        case .slow(let delay):
            try await Task.sleep(for: delay)
        case .serverError:
            return Response(status: .internalServerError, headers: headers,
                            body: .init(byteBuffer: ByteBuffer(string: #"{"error":{"code":"internal","message":"db down"}}"#)))
        case .redirect:
            headers[.location] = "http://127.0.0.1:1/elsewhere"
            return Response(status: .found, headers: headers)
        }
        let echo = #"{"data":[],"path":"\#(request.head.path ?? "")"}"#
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: echo)))
    }
}

/// Runs a Hummingbird router on a free loopback port for the length of `body`.
func withRunning<Value: Sendable>(router: Router<BasicRequestContext>,
                                  _ body: @Sendable (Int) async throws -> Value) async throws -> Value {
    let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
    let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                          onServerRunning: { continuation.yield($0.localAddress?.port ?? 0) },
                          logger: Logger(label: "stub") { _ in SwiftLogNoOpLogHandler() })
    return try await withRunning(app, ports: ports, body)
}

/// Runs any application in its own service group for the length of `body`.
func withRunning<App: ApplicationProtocol, Value: Sendable>(
    _ app: App, ports: AsyncStream<Int>, _ body: @Sendable (Int) async throws -> Value
) async throws -> Value {
    let group = ServiceGroup(services: [app], logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
    return try await withThrowingTaskGroup(of: Void.self) { tasks in
        tasks.addTask { try await group.run() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else { throw CancellationError() }
        do {
            let value = try await body(port)
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
            return value
        } catch {
            await group.triggerGracefulShutdown()
            throw error
        }
    }
}

/// A raw TCP upstream that answers every connection with garbage or a reset.
enum RawUpstream {
    enum Mode: Sendable {
        case garbage, reset
        /// Answers a connection's first request with a kept-alive 200, then closes the
        /// connection when the next request comes: an idle connection the upstream dropped.
        case dropsSecondRequest
        /// Answers 200 with `Connection: close`, and closes.
        case closesAfterAnswer
        /// Answers 200 with a chunked body.
        case chunked
        /// Answers each request with this whole raw text (an answer and what follows it).
        case raw(String)
    }

    static func run<Value: Sendable>(_ mode: Mode, _ body: @Sendable (String) async throws -> Value) async throws -> Value {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(Handler(mode: mode)) }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let port = channel.localAddress!.port!
        do {
            let value = try await body("http://127.0.0.1:\(port)")
            try await channel.close()
            return value
        } catch {
            try? await channel.close()
            throw error
        }
    }

    private final class Handler: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = ByteBuffer
        let mode: Mode
        private var answered = false
        init(mode: Mode) { self.mode = mode }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch mode {
            case .closesAfterAnswer:
                let reply = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: 11\r\n\r\n{\"data\":[]}"
                context.writeAndFlush(NIOAny(context.channel.allocator.buffer(string: reply))).whenComplete { _ in
                    context.close(promise: nil)
                }
            case .raw(let reply):
                context.writeAndFlush(NIOAny(context.channel.allocator.buffer(string: reply)), promise: nil)
            case .chunked:
                let reply = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nb\r\n{\"data\":[]}\r\n0\r\n\r\n"
                context.writeAndFlush(NIOAny(context.channel.allocator.buffer(string: reply)), promise: nil)
            case .dropsSecondRequest:
                guard !answered else {
                    context.close(promise: nil)
                    return
                }
                answered = true
                let body = #"{"data":[]}"#
                let reply = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)"
                context.writeAndFlush(NIOAny(context.channel.allocator.buffer(string: reply)), promise: nil)
            case .garbage:
                let reply = context.channel.allocator.buffer(string: "SPDY/9 banana\r\n\u{0}\u{1}garbage\r\n\r\n")
                context.writeAndFlush(NIOAny(reply)).whenComplete { _ in context.close(promise: nil) }
            case .reset:
                // SO_LINGER 0 turns the close into a TCP reset.
                let channel = context.channel
                if let provider = channel as? SocketOptionProvider {
                    provider.setSoLinger(linger(l_onoff: 1, l_linger: 0)).whenComplete { _ in channel.close(promise: nil) }
                } else {
                    channel.close(promise: nil)
                }
            }
        }
    }
}
