import Foundation

/// The pages an earlier build of the same `--watch` session rendered, reused when nothing
/// they depend on has changed: a page's own source, its layout and the partials, and what
/// every page shows (the site's settings and the sidebar). Editing one guide's body
/// re-renders that guide; editing a layout re-renders the pages that use it.
public final class RenderCache: @unchecked Sendable {
    private let lock = NSLock()
    private var pages: [String: (key: String, page: RenderedPage)] = [:]
    private var rendered: [String] = []
    /// The files the previous build wrote, to link the unchanged ones.
    public let written = WrittenFiles()
    private var lastBuild: BuildSnapshot?

    /// What the last build (full or update) left, for updating one page in place.
    var snapshot: BuildSnapshot? {
        get { lock.lock(); defer { lock.unlock() }; return lastBuild }
        set { lock.lock(); lastBuild = newValue; lock.unlock() }
    }

    /// Takes the snapshot out, so that the update holds the only reference and changes its
    /// arrays in place (a copy of 10,000 pages' worth was a third of an update). An update
    /// that fails or gives up leaves none behind, and the next change builds everything.
    func takeSnapshot() -> BuildSnapshot? {
        lock.lock()
        defer { lock.unlock() }
        let taken = lastBuild
        lastBuild = nil
        return taken
    }

    public init() {}

    /// The URLs the last build rendered rather than reused, sorted.
    public var renderedLastBuild: [String] {
        lock.lock()
        defer { lock.unlock() }
        return rendered.sorted()
    }

    func beginBuild() {
        lock.lock()
        rendered = []
        lock.unlock()
    }

    /// The cached page for a URL, or renders it and remembers it under `key`.
    func page(_ url: String, key: String, render: () -> RenderedPage) -> RenderedPage {
        lock.lock()
        if let cached = pages[url], cached.key == key {
            lock.unlock()
            return cached.page
        }
        lock.unlock()
        let page = render()
        lock.lock()
        pages[url] = (key, page)
        rendered.append(url)
        lock.unlock()
        return page
    }
}

/// The inputs a page's HTML depends on, as digests.
struct RenderKeys {
    /// What every page shows: settings, sidebar, URLs that links resolve to.
    let shared: String
    /// Layout name to the digest of the layout with every partial.
    let layouts: [String: String]

    init(site: Site, navigation: Navigation, baseURL: String, development: Bool) {
        var shared = "\(baseURL)|\(development)|\(site.config.title)|\(site.config.description)|"
        shared += "\(site.config.operator.map { "\($0.name)|\($0.logo ?? "")|\($0.accent ?? "")" } ?? "")|"
        for section in navigation.sections {
            shared += "[\(section.title)]" + section.items.map { "\($0.title)>\($0.url)>\($0.method ?? "")" }.joined(separator: ",")
        }
        shared += site.pages.map(\.url).sorted().joined(separator: ",")
        self.shared = Digest.sha256(Data(shared.utf8))
        let partials = site.templates.sources.filter { $0.value.file.contains("/partials/") }.sorted { $0.key < $1.key }
            .map { "\($0.key)\u{0}\($0.value.text)" }.joined(separator: "\u{1}")
        layouts = site.templates.sources.filter { $0.value.file.contains("/layouts/") }.mapValues { layout in
            Digest.sha256(Data((layout.text + "\u{2}" + partials).utf8))
        }
    }

    func guide(_ page: SourcePage, layout: String) -> String {
        let matter = page.frontMatter
        let source = "\(matter.title)|\(matter.description ?? "")|\(matter.order ?? 0)|\(layout)|\(page.allowsRawHTML)|\(page.body)"
        return shared + (layouts[layout] ?? "") + Digest.sha256(Data(source.utf8))
    }

    func operation(_ operation: APIOperation) -> String {
        shared + (layouts["operation"] ?? "") + Digest.sha256(Data(String(describing: operation).utf8))
    }
}
