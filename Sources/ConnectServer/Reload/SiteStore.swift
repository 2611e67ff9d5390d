import NIOConcurrencyHelpers

/// The site being served now. A request takes the current value once and keeps it, so a
/// reload never changes a site under a request in flight.
public final class SiteStore: Sendable {
    private struct State {
        var site: StaticSite
        var generation = 0
        var problem: String?
        /// Live reload's listeners (development only), told each new generation.
        var listeners: [Int: AsyncStream<Int>.Continuation] = [:]
        var nextListener = 0
    }

    private let box: NIOLockedValueBox<State>

    public init(_ site: StaticSite) { box = NIOLockedValueBox(State(site: site)) }

    /// The site to serve a new request from.
    public var current: StaticSite { box.withLockedValue { $0.site } }

    /// How many times the site was replaced: live reload in development watches it.
    public var generation: Int { box.withLockedValue { $0.generation } }

    /// Why the newest manifest on disk is not in service, while it is not: the server is
    /// serving an older build than the one deployed, so `/healthz` says it is not ready.
    public var problem: String? { box.withLockedValue { $0.problem } }

    /// Serves `site` from the next request on.
    public func replace(with site: StaticSite) {
        let (generation, listeners) = box.withLockedValue { state in
            state.site = site
            state.generation += 1
            state.problem = nil
            return (state.generation, Array(state.listeners.values))
        }
        for listener in listeners { listener.yield(generation) }
    }

    /// The generation now, then each new one as the site is replaced, until the stream is
    /// dropped: what `/_dev/events` pushes to the open pages.
    func generations() -> AsyncStream<Int> {
        let (stream, continuation) = AsyncStream.makeStream(of: Int.self, bufferingPolicy: .bufferingNewest(1))
        let id = box.withLockedValue { state in
            let id = state.nextListener
            state.nextListener += 1
            state.listeners[id] = continuation
            continuation.yield(state.generation)
            return id
        }
        continuation.onTermination = { [weak self] _ in
            _ = self?.box.withLockedValue { $0.listeners.removeValue(forKey: id) }
        }
        return stream
    }

    /// The newest manifest failed to load; the site in service stays.
    func keep(because problem: String) { box.withLockedValue { $0.problem = problem } }
}
