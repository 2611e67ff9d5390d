import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import NIOHTTPTypesHTTP1

/// The pipeline of one client connection. Each handler has one job; inbound runs down,
/// outbound runs up:
///
/// ```
///  socket
///    │  ReadMeter           counts each read's bytes for the sequencer (slow or huge heads)
///    │  HTTP/1 codec        NIO's decoder (header count and size limits) and encoder
///    │  RequestSequencer    one request at a time, answers in order, framing checks,
///    │                      timeouts, backpressure, Connection: close, the decoder's errors
///    │  SiteFastPath        GET/HEAD of a file in memory: 200 or 304, at the head
///    │  ConnectForwarder    /v1: refusals at the head, the rest to the upstream pool
///    │  HTTP1ToHTTPServerCodec + Hummingbird   everything else (ranges, redirects, 404s,
///    ▼                      files on disk, /healthz, /_dev), through ConnectResponder
/// ```
///
/// The fast path and the forwarder sit before the conversion to `HTTPTypes` and the hop
/// into Swift concurrency, so the hot paths cost no task and no header conversion
/// (BENCHMARKS.md). The sequencer sits before all three, so no rule about the connection
/// depends on which of them answers.
struct ConnectHTTPChannel: ServerChildChannel, HTTPChannelHandler {
    typealias Value = NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>

    let responder: HTTPChannelHandler.Responder
    let sequencer: RequestSequencer.Configuration
    let fastPath: SiteFastPath.Configuration
    let forwarder: ConnectForwarder.Configuration
    let limiter: ConnectionLimiter
    let refusal: ByteBuffer

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        let admitted = limiter.admit(channel)
        return channel.eventLoop.makeCompletedFuture {
            guard admitted else {
                // Hummingbird waits on a stream that never yields a request, until the close.
                try channel.pipeline.syncOperations.addHandler(ConnectionLimiter.Refuser(refusal))
                return try NIOAsyncChannel(wrappingChannelSynchronously: channel)
            }
            let pipeline = channel.pipeline.syncOperations
            try pipeline.addHandler(ReadMeter())
            try pipeline.configureHTTPServerPipeline(
                withPipeliningAssistance: false,  // RequestSequencer orders the answers
                withErrorHandling: false,  // RequestSequencer answers parse errors
                withOutboundHeaderValidation: false,  // the headers are built from HTTPTypes, already validated
                withEncoderConfiguration: .init(),
                withDecoderLimitConfiguration: sequencer.limits.decoderLimits
            )
            try pipeline.addHandler(RequestSequencer(sequencer))
            try pipeline.addHandler(SiteFastPath(fastPath))
            try pipeline.addHandler(ConnectForwarder(forwarder))
            try pipeline.addHandler(HTTP1ToHTTPServerCodec(secure: false))
            return try NIOAsyncChannel(wrappingChannelSynchronously: channel,
                                       configuration: .init(isOutboundHalfClosureEnabled: true))
        }
    }

    func handle(value asyncChannel: Value, logger: Logger) async {
        await handleHTTP(asyncChannel: asyncChannel, logger: logger)
    }
}

extension HTTPServerBuilder {
    /// The HTTP/1 server with the sequencer, the site's fast path and the proxy.
    static func connect(sequencer: RequestSequencer.Configuration, fastPath: SiteFastPath.Configuration,
                        forwarder: ConnectForwarder.Configuration) -> HTTPServerBuilder {
        let limiter = ConnectionLimiter(maximum: sequencer.limits.maxConnections)
        let refusal = ConnectionLimiter.refusal(security: sequencer.security)
        return .init { responder in
            ConnectHTTPChannel(responder: responder, sequencer: sequencer, fastPath: fastPath, forwarder: forwarder,
                               limiter: limiter, refusal: refusal)
        }
    }
}
