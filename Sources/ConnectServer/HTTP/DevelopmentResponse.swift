import Foundation
import Hummingbird
import NIOCore

/// The development endpoints' answers: `{"token": "..."}` for the docs' try-it form (sandbox
/// mode only), the live-reload event stream, and `{"version": "3"}` for a script that polls;
/// never cached.
enum DevelopmentResponse {
    static func make(_ token: String?, security: SecurityHeaders) async -> Response {
        guard let token else { return ErrorAnswer.contract(.notFound).response(security: security, requestID: nil) }
        return json(["token": token], security: security)
    }

    /// Live reload, pushed: a server-sent event with the site's generation now and at each
    /// new build, so an open page reloads the moment the new build is served.
    static func events(_ generations: AsyncStream<Int>, security: SecurityHeaders) -> Response {
        var headers = security.fields
        headers[.contentType] = "text/event-stream; charset=utf-8"
        headers[.cacheControl] = "no-store"
        return Response(status: .ok, headers: headers, body: ResponseBody { writer in
            // A lost connection comes back within half a second (EventSource reconnects).
            try await writer.write(ByteBuffer(string: "retry: 500\n\n"))
            for await generation in generations {
                try await writer.write(ByteBuffer(string: "data: \(generation)\n\n"))
            }
            try await writer.finish(nil)
        })
    }

    static func json(_ value: [String: String], security: SecurityHeaders) -> Response {
        var headers = security.fields
        headers[.contentType] = "application/json; charset=utf-8"
        headers[.cacheControl] = "no-store"
        let body = (try? JSONEncoder().encode(value)) ?? Data()
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }
}
