import Foundation
import Hummingbird
import NIOCore

/// The development endpoints' answers, never cached: in sandbox mode the docs' try-it's
/// (`{"token": "..."}`, the demo App, the App host calls), and in development the live-reload
/// event stream and `{"version": "3"}` for a script that polls.
enum DevelopmentResponse {
    /// The sandbox's routes: the demo credentials, and the App host calls answered by the
    /// sandbox with this server's headers over its own. Nil for any other path.
    static func sandbox(_ sandbox: any DevelopmentSandbox, _ request: Request, rawPath: Substring, security: SecurityHeaders) async -> Response? {
        // `/_dev` before the sandbox's own path `/apps/<hostname>/v1/...`.
        if rawPath.hasPrefix("/_dev/apps/") {
            var response = await sandbox.answerAppHost(request, path: rawPath.dropFirst("/_dev".count))
            for field in security.fields { response.headers[field.name] = field.value }
            response.headers[.cacheControl] = "no-store"
            return response
        }
        guard request.method == .get else { return nil }
        switch rawPath {
        case "/_dev/demo-token":
            guard let token = await sandbox.demoToken() else { return ErrorAnswer.contract(.notFound).response(security: security, requestID: nil) }
            return json(["token": token], security: security)
        case "/_dev/demo-app":
            guard let demo = await sandbox.demoApp() else { return ErrorAnswer.contract(.notFound).response(security: security, requestID: nil) }
            var app = ["hostname": demo.hostname]
            app["access_key"] = demo.accessKey
            return json(app, security: security)
        default:
            return nil
        }
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
