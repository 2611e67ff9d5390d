import NIOConcurrencyHelpers

/// The site being served now. A request takes the current value once and keeps it, so a
/// reload never changes a site under a request in flight.
public final class SiteStore: Sendable {
    private let box: NIOLockedValueBox<(site: StaticSite, generation: Int)>

    public init(_ site: StaticSite) { box = NIOLockedValueBox((site, 0)) }

    /// The site to serve a new request from.
    public var current: StaticSite { box.withLockedValue { $0.site } }

    /// How many times the site was replaced: live reload in development watches it.
    public var generation: Int { box.withLockedValue { $0.generation } }

    /// Serves `site` from the next request on.
    public func replace(with site: StaticSite) { box.withLockedValue { $0 = (site, $0.generation + 1) } }
}
