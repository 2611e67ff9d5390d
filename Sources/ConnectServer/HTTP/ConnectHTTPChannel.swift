import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import NIOHTTPTypesHTTP1

/// Hummingbird's HTTP/1 channel with three handlers in front of it:
///
/// - ``RequestSequencer`` passes one request at a time, keeps answers in order, and
///   closes connections when asked and at graceful shutdown;
/// - ``SiteFastPath`` answers the common file requests (from memory, 200 or 304);
/// - ``ConnectForwarder`` is the proxy of `/v1`.
///
/// Both sit right after NIO's HTTP/1 codec, before the conversion to `HTTPTypes` and the
/// hop into Swift concurrency, so the hot paths cost no task, no async responder and no
/// header conversion. Everything else goes on to Hummingbird's ``HTTPChannelHandler``
/// loop and ``ConnectResponder``. Measured in BENCHMARKS.md.
struct ConnectHTTPChannel: ServerChildChannel, HTTPChannelHandler {
    typealias Value = NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>

    let responder: HTTPChannelHandler.Responder
    let fastPath: SiteFastPath.Configuration
    let forwarder: ConnectForwarder.Configuration

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        channel.eventLoop.makeCompletedFuture {
            try channel.pipeline.syncOperations.configureHTTPServerPipeline(
                withPipeliningAssistance: false,  // RequestSequencer orders the answers
                withErrorHandling: false,  // Hummingbird answers parse errors
                withOutboundHeaderValidation: false  // the headers are built from HTTPTypes, already validated
            )
            try channel.pipeline.syncOperations.addHandler(RequestSequencer())
            try channel.pipeline.syncOperations.addHandler(SiteFastPath(fastPath))
            try channel.pipeline.syncOperations.addHandler(ConnectForwarder(forwarder))
            try channel.pipeline.syncOperations.addHandler(HTTP1ToHTTPServerCodec(secure: false))
            return try NIOAsyncChannel(wrappingChannelSynchronously: channel,
                                       configuration: .init(isOutboundHalfClosureEnabled: true))
        }
    }

    func handle(value asyncChannel: Value, logger: Logger) async {
        await handleHTTP(asyncChannel: asyncChannel, logger: logger)
    }
}

extension HTTPServerBuilder {
    /// The HTTP/1 server with the site's fast path.
    static func connect(fastPath: SiteFastPath.Configuration, forwarder: ConnectForwarder.Configuration) -> HTTPServerBuilder {
        .init { responder in ConnectHTTPChannel(responder: responder, fastPath: fastPath, forwarder: forwarder) }
    }
}
