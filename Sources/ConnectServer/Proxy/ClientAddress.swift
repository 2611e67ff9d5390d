/// Who the client is, seen through any proxies the operator trusts.
struct ClientAddress {
    /// The TCP peer's IP address, nil when unknown (as in in-process tests).
    let peer: String?
    /// Whether the peer is in `--trusted-proxy`, so its `X-Forwarded-*` may be believed.
    let peerIsTrusted: Bool
    /// The address the rate limit counts against.
    let client: String

    /// - Parameters:
    ///   - peer: The TCP peer's IP address.
    ///   - forwardedFor: The `X-Forwarded-For` the peer sent.
    ///   - trusted: The `--trusted-proxy` addresses.
    init(peer: String?, forwardedFor: String?, trusted: Set<String>) {
        self.peer = peer
        peerIsTrusted = peer.map(trusted.contains) ?? false
        var client = peer ?? "unknown"
        if peerIsTrusted, let forwardedFor {
            // The right-most address that is not one of our own proxies is the client;
            // everything left of it was written by the client and proves nothing.
            for hop in forwardedFor.split(separator: ",").reversed() {
                let address = String(hop.trimmingOptionalWhitespace())
                guard !address.isEmpty else { continue }
                client = address
                if !trusted.contains(address) { break }
            }
        }
        self.client = client
    }
}
