/// Checks that every internal link and `#anchor` of every page resolves.
///
/// It reads the final HTML, so links written by templates are checked as well as those of
/// the Markdown; a broken Markdown link is reported at its line in the Markdown file.
struct LinkChecker {
    /// Every URL path the build serves (pages, assets before hashing, generated files).
    let urls: Set<String>
    /// Page URL to the ids its HTML defines.
    let anchors: [String: Set<String>]

    /// Template name to its source, to find the line of a link a template wrote.
    let templates: [String: TemplateSource]
    /// Page URL to the link targets (`href` and `src`) its HTML holds.
    private var targets: [String: [String]]

    /// Scans every page once, for its ids and its links, on every core.
    init(pages: [RenderedPage], otherURLs: Set<String>, templates: [String: TemplateSource]) {
        var anchors: [String: Set<String>] = [:]
        var targets: [String: [String]] = [:]
        let scanned = ContentLoader.parallelMap(pages) { page in
            let attributes = HTMLScan.attributes(["id", "href", "src"], in: page.html)
            return (Set(attributes["id"] ?? []), (attributes["href"] ?? []) + (attributes["src"] ?? []))
        }
        anchors.reserveCapacity(pages.count)
        targets.reserveCapacity(pages.count)
        for (page, scan) in zip(pages, scanned) {
            anchors[page.url] = scan.0
            targets[page.url] = scan.1
        }
        self.anchors = anchors
        self.targets = targets
        self.urls = otherURLs.union(pages.map(\.url))
        self.templates = templates
    }

    /// Scans `page` again, for a `--watch` update of one page; false (and nothing changed)
    /// when the page's ids changed, because links from other pages into it must be checked
    /// again then (a full build does that).
    mutating func replace(_ page: RenderedPage) -> Bool {
        let attributes = HTMLScan.attributes(["id", "href", "src"], in: page.html)
        guard anchors[page.url] == Set(attributes["id"] ?? []) else { return false }
        targets[page.url] = (attributes["href"] ?? []) + (attributes["src"] ?? [])
        return true
    }

    /// The broken links of `pages`, each page checked on its own core.
    func problems(in pages: [RenderedPage]) -> [BuildProblem] {
        ContentLoader.parallelMap(pages) { problems(on: $0) }.flatMap { $0 }
    }

    private func problems(on page: RenderedPage) -> [BuildProblem] {
        var problems: [BuildProblem] = []
        var seen = Set<String>()
        for link in targets[page.url] ?? [] {
            let target = link.utf8.contains(UInt8(ascii: "&")) ? link.replacingOccurrences(of: "&amp;", with: "&") : link
            guard seen.insert(target).inserted, let reason = reason(target, on: page.url) else { continue }
            if let source = page.sourceFile, let written = page.markdownLinks.first(where: { $0.rendered == target }) {
                problems.append(BuildProblem(file: source, line: written.line, "\(written.written) -> \(reason)"))
            } else {
                let (file, line) = templateLocation(of: target, layout: page.layout)
                problems.append(BuildProblem(file: file, line: line, "\(target) (on \(page.url)) -> \(reason)"))
            }
        }
        return problems
    }

    /// The template file and line that wrote a literal link, searched in the layout and then
    /// in every partial; the layout alone when the link came from a variable.
    private func templateLocation(of link: String, layout: String) -> (String, Int?) {
        let candidates = [templates[layout]].compactMap { $0 } + templates.sorted { $0.key < $1.key }.map(\.value)
        for candidate in candidates {
            let lines = candidate.text.split(separator: "\n", omittingEmptySubsequences: false)
            if let index = lines.firstIndex(where: { $0.contains("\"\(link)\"") }) { return (candidate.file, index + 1) }
        }
        return (templates[layout]?.file ?? "templates/layouts/\(layout).mustache", nil)
    }

    /// Why a link does not resolve, or nil when it does.
    func reason(_ link: String, on pageURL: String) -> String? {
        guard !link.isEmpty, !LinkRewriter.isExternal(link) else { return nil }
        var path = link
        var fragment: String?
        if let hash = path.firstIndex(of: "#") {
            fragment = String(path[path.index(after: hash)...])
            path = String(path[..<hash])
        }
        if let query = path.firstIndex(of: "?") { path = String(path[..<query]) }
        let target = path.isEmpty ? pageURL : (path.hasPrefix("/") ? path : LinkRewriter.resolve(path, against: String(pageURL.dropFirst()) + "x"))
        let decoded = target.utf8.contains(UInt8(ascii: "%")) ? target.removingPercentEncoding ?? target : target
        guard urls.contains(decoded) else {
            if urls.contains(decoded + "/") { return "no such page (did you mean \(decoded)/?)" }
            return "no such page or file"
        }
        if let fragment, !fragment.isEmpty {
            guard let ids = anchors[decoded] else { return "#\(fragment): only pages have anchors" }
            if !ids.contains(fragment.removingPercentEncoding ?? fragment) { return "no heading or element with id \"\(fragment)\" on \(decoded)" }
        }
        return nil
    }
}

/// The values of one attribute across an HTML document. Our HTML comes from cmark and our
/// own templates, which always quote attributes with `"`, so a scan is enough.
enum HTMLScan {
    /// The values of each named attribute, in document order, from one pass over the bytes.
    static func attributes(_ names: [String], in html: String) -> [String: [String]] {
        let needles = names.map { (name: $0, bytes: Array(" \($0)=\"".utf8)) }
        var values: [String: [String]] = [:]
        let bytes = Array(html.utf8)
        var index = 0
        scan: while index < bytes.count {
            if bytes[index] == UInt8(ascii: " ") {
                for needle in needles where index + needle.bytes.count <= bytes.count
                    && bytes[index..<index + needle.bytes.count].elementsEqual(needle.bytes) {
                    let start = index + needle.bytes.count
                    var end = start
                    while end < bytes.count, bytes[end] != UInt8(ascii: "\"") { end += 1 }
                    values[needle.name, default: []].append(String(decoding: bytes[start..<end], as: UTF8.self))
                    index = end
                    continue scan
                }
            }
            index += 1
        }
        return values
    }
}

import Foundation
