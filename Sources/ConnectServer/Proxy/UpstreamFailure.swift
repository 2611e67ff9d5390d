import AsyncHTTPClient
import ConnectAPI

/// How an upstream fault is told to the client: the contract's code and a fixed message.
/// The underlying error goes to the server's log only, never into a response.
enum UpstreamFailure {
    static func classify(_ error: any Error) -> (code: ErrorCode, message: String) {
        if let error = error as? HTTPClientError,
           error == .deadlineExceeded || error == .readTimeout || error == .connectTimeout {
            return (.gatewayTimeout, "The upstream did not answer in time.")
        }
        return (.badGateway, "The upstream could not be reached or sent an invalid answer.")
    }

    /// The message when no `--upstream` was given.
    static let notConfigured = "No upstream is configured: start connect-server with --upstream URL."
}
