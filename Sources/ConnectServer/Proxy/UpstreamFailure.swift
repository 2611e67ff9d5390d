import ConnectAPI
import NIOCore
import NIOHTTP1
import NIOPosix
#if canImport(Glibc)
import Glibc
#endif

/// Why an upstream call ended without a whole answer.
enum UpstreamError: Error {
    /// No answer within `--upstream-timeout`.
    case timedOut
    /// The connection closed before the answer ended.
    case closedEarly
    /// An informational or switching answer nobody asked for.
    case unexpectedStatus(UInt)
    /// No `--upstream` was given.
    case notConfigured
}

/// How an upstream fault is told to the client: the contract's code and a fixed message.
/// The underlying error goes to the server's log only, never into a response.
enum UpstreamFailure {
    static func classify(_ error: any Error) -> (code: ErrorCode, message: String) {
        if case UpstreamError.timedOut = error { return timedOut }
        if let error = error as? ChannelError, case .connectTimeout = error { return timedOut }
        return (ProxyAnswer.upstreamInvalid.code, invalidAnswer)
    }

    private static let timedOut = (ProxyAnswer.upstreamTimeout.code, ProxyAnswer.upstreamTimeout.message!)

    static let invalidAnswer = ProxyAnswer.upstreamInvalid.message!

    /// The message when no `--upstream` was given.
    static let notConfigured = "No upstream is configured: start connect-server with --upstream URL."
}

/// How an upstream call ended, for the metrics: the operator's question is whether the
/// upstream is slow, down, dropping connections or speaking nonsense.
enum UpstreamOutcome: String, CaseIterable, Sendable {
    /// A whole answer, whatever its status.
    case ok
    /// No answer, or no connection, within the timeout.
    case timeout
    /// The connection was refused (or no upstream is configured).
    case refused
    /// The connection closed or was reset before the answer ended.
    case reset
    /// Something that is not an HTTP answer the client asked for.
    case badAnswer = "bad_answer"

    init(_ error: any Error) {
        switch error {
        case UpstreamError.timedOut: self = .timeout
        case UpstreamError.notConfigured: self = .refused
        case UpstreamError.closedEarly: self = .reset
        // The decoder's word for a connection that closed before the answer's end.
        case HTTPParserError.invalidEOFState: self = .reset
        case UpstreamError.unexpectedStatus: self = .badAnswer
        case ChannelError.connectTimeout: self = .timeout
        case ChannelError.eof, ChannelError.ioOnClosedChannel, ChannelError.outputClosed, ChannelError.alreadyClosed: self = .reset
        case let error as NIOConnectionError:
            // No connection was made: refused, unreachable or a name that did not resolve.
            let timedOut = error.connectionErrors.contains { if case ChannelError.connectTimeout = $0.error { true } else { false } }
            self = timedOut ? .timeout : .refused
        case let error as IOError:
            self = error.errnoCode == ECONNREFUSED ? .refused : .reset
        default:
            self = .badAnswer
        }
    }
}
