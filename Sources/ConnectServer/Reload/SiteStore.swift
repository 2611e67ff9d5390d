import NIOConcurrencyHelpers

/// The site being served now. A request takes the current value once and keeps it, so a
/// reload never changes a site under a request in flight.
public final class SiteStore: Sendable {
    private struct State {
        var site: StaticSite
        var generation = 0
        var problem: String?
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
        box.withLockedValue { $0 = State(site: site, generation: $0.generation + 1, problem: nil) }
    }

    /// The newest manifest failed to load; the site in service stays.
    func keep(because problem: String) { box.withLockedValue { $0.problem = problem } }
}
