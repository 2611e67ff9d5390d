import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// A plain TCP connection for what an HTTP client library hides: several requests in one
/// write (pipelining), and whether the server closes the connection.
enum RawConnection {
    /// Sends `text` in one write and collects everything the server sends until it closes
    /// the connection, or until `timeout` passes.
    /// - Returns: The bytes as text, and whether the server closed the connection.
    static func exchange(port: Int, _ text: String, timeout: Duration = .seconds(5)) async throws -> (text: String, closed: Bool) {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "localhost", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            // A server that answers before reading (a refusal) may have closed already.
            if !text.isEmpty { try? await outbound.write(ByteBuffer(string: text)) }
            return try await withThrowingTaskGroup(of: (String, Bool)?.self) { group in
                group.addTask {
                    var received = ByteBuffer()
                    for try await var chunk in inbound { received.writeBuffer(&chunk) }
                    return (String(buffer: received), true)
                }
                group.addTask {
                    try await Task.sleep(for: timeout)
                    return nil
                }
                let first = try await group.next()!
                group.cancelAll()
                return first ?? ("", false)
            }
        }
    }

    /// Writes `text` on a connection that never reads, and tells whether the server took
    /// all of it within `duration`.
    static func writeWithoutReading(port: Int, _ text: String, for duration: Duration) async throws -> Bool {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelOption(.autoRead, value: false)
            .connect(host: "localhost", port: port).get()
        let buffer = ByteBuffer(string: text)
        let taken = NIOLockedValueBox(false)
        channel.eventLoop.execute {
            channel.writeAndFlush(buffer).whenSuccess { taken.withLockedValue { $0 = true } }
        }
        try await Task.sleep(for: duration)
        let done = taken.withLockedValue { $0 }
        try? await channel.close()
        return done
    }

    /// The status lines in a run of responses, in order (a body without a final newline
    /// runs straight into the next status line, so they are found by pattern, not by line).
    static func statusLines(_ text: String) -> [String] {
        text.matches(of: /HTTP\/1\.[01] [0-9]{3} [^\r]*/).map { String($0.output) }
    }
}
