/// The reading order of the site: the sidebar's sections and the previous/next chain.
struct Navigation: Sendable {
    struct Item: Sendable {
        var title: String
        var url: String
        /// The HTTP method of an operation, for its badge.
        var method: String?
    }

    struct Section: Sendable {
        var title: String
        var items: [Item]
    }

    let sections: [Section]
    /// Every item in reading order.
    let chain: [Item]
    /// URL to its position in `chain`, so that each page finds its neighbours at once.
    private let positions: [String: Int]
    /// URL to the index of its section.
    private let sectionOf: [String: Int]

    init(config: SiteConfig, pages: [SourcePage], api: APIReference) {
        sections = config.sidebar.map { section in
            if section.api == true {
                let items = api.operations.map { Item(title: $0.summary, url: $0.url, method: $0.method) }
                return Section(title: section.title, items: items)
            }
            let folder = (section.from ?? "").trimmingCharacters(in: CharacterSet(charactersIn: "/"))
            let members = pages.filter { page in
                let parent = page.contentPath.split(separator: "/").dropLast().joined(separator: "/")
                return parent == folder && page.url != "/"
            }.sorted { ($0.frontMatter.order ?? Int.max, $0.frontMatter.title) < ($1.frontMatter.order ?? Int.max, $1.frontMatter.title) }
            return Section(title: section.title, items: members.map { Item(title: $0.frontMatter.title, url: $0.url, method: nil) })
        }
        chain = sections.flatMap(\.items)
        positions = Dictionary(chain.enumerated().map { ($1.url, $0) }, uniquingKeysWith: { first, _ in first })
        sectionOf = Dictionary(sections.enumerated().flatMap { index, section in section.items.map { ($0.url, index) } },
                               uniquingKeysWith: { first, _ in first })
    }

    func neighbours(of url: String) -> (previous: Item?, next: Item?) {
        guard let index = positions[url] else { return (nil, nil) }
        return (index > 0 ? chain[index - 1] : nil, index + 1 < chain.count ? chain[index + 1] : nil)
    }

    func section(of url: String) -> Section? {
        sectionOf[url].map { sections[$0] }
    }

    /// The sidebar as a Mustache context, with the current page marked.
    func context(current url: String) -> [[String: Any]] {
        sections.map { section in
            [
                "title": section.title,
                "items": section.items.map { item -> [String: Any] in
                    var entry: [String: Any] = ["title": item.title, "url": item.url, "current": item.url == url]
                    if let method = item.method { entry["method"] = method; entry["methodClass"] = method.lowercased() }
                    return entry
                },
            ]
        }
    }
}

import Foundation
