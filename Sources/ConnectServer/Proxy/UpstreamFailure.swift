import ConnectAPI
import NIOCore

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
        return (.badGateway, invalidAnswer)
    }

    private static let timedOut = (ErrorCode.gatewayTimeout, "The upstream did not answer in time.")

    static let invalidAnswer = "The upstream could not be reached or sent an invalid answer."

    /// The message when no `--upstream` was given.
    static let notConfigured = "No upstream is configured: start connect-server with --upstream URL."
}
