import ConnectAPI
import Foundation

/// What a `--watch` build leaves in memory so that saving one page's body can be written
/// in place (``SiteBuild/update(changed:)``) instead of building the whole site again.
struct BuildSnapshot: @unchecked Sendable {
    let options: SiteBuild.Options
    var site: Site
    let baseURL: String
    let navigation: Navigation
    let renderer: PageRenderer
    /// Every page, sorted by URL.
    var pages: [RenderedPage]
    let assets: AssetPipeline
    var links: LinkChecker
    /// Each listed page's search index entry, in the index's order.
    var searchEntries: [String]
    /// The position of a URL in `searchEntries`.
    let searchPositions: [String: Int]
    /// The files made from all pages together, by name.
    var generated: [(String, String)]
    /// The manifest with each entry's JSON line, made on the first update rather than at
    /// every full build (most full builds are never followed by one).
    lazy var manifest = LiveManifest(builtManifest)
    private let builtManifest: SiteManifest

    /// The index of a content path (e.g. `docs/overview.md`) in `site.pages`.
    lazy var sourceIndex: [String: Int] = Dictionary(
        site.pages.enumerated().map { ($0.element.contentPath, $0.offset) }, uniquingKeysWith: { first, _ in first })
    /// The index of a URL in `pages`.
    lazy var pageIndex: [String: Int] = Dictionary(
        pages.enumerated().map { ($0.element.url, $0.offset) }, uniquingKeysWith: { first, _ in first })

    init(options: SiteBuild.Options, site: Site, baseURL: String, navigation: Navigation, renderer: PageRenderer,
         pages: [RenderedPage], assets: AssetPipeline, links: LinkChecker, searchEntries: [(String, String)],
         generated: [(String, String)], manifest: SiteManifest) {
        self.searchEntries = searchEntries.map(\.1)
        searchPositions = Dictionary(searchEntries.enumerated().map { ($0.element.0, $0.offset) }, uniquingKeysWith: { first, _ in first })
        self.options = options
        self.site = site
        self.baseURL = baseURL
        self.navigation = navigation
        self.renderer = renderer
        self.pages = pages
        self.assets = assets
        self.links = links
        self.generated = generated
        builtManifest = manifest
    }
}
