import NIOCore
import NIOPosix

/// Whether the upstream accepts TCP connections now, for `/healthz`'s readiness.
///
/// A load balancer asks every few seconds; a client may ask as often as it likes. So one
/// probe runs at a time and its answer stands for a second: `/healthz` never opens more than
/// one upstream connection a second, however often it is called.
actor UpstreamProbe {
    let address: UpstreamAddress
    let group: any EventLoopGroup
    let timeout: TimeAmount
    private var last: (at: ContinuousClock.Instant, accepts: Bool)?
    private var running: Task<Bool, Never>?

    static let reuseFor = Duration.seconds(1)

    init(address: UpstreamAddress, group: any EventLoopGroup, timeout: TimeAmount = .seconds(1)) {
        self.address = address
        self.group = group
        self.timeout = timeout
    }

    func acceptsConnections() async -> Bool {
        if let last, last.at.duration(to: .now) < Self.reuseFor { return last.accepts }
        if let running { return await running.value }
        let (address, group, timeout) = (address, group, timeout)
        let task = Task { await Self.connect(address, group: group, timeout: timeout) }
        running = task
        let accepts = await task.value
        running = nil
        last = (.now, accepts)
        return accepts
    }

    /// A TCP connection, closed at once: enough to tell refused or unreachable from up.
    private static func connect(_ address: UpstreamAddress, group: any EventLoopGroup, timeout: TimeAmount) async -> Bool {
        do {
            let channel = try await ClientBootstrap(group: group).connectTimeout(timeout)
                .connect(host: address.host, port: address.port).get()
            try? await channel.close()
            return true
        } catch {
            return false
        }
    }
}
