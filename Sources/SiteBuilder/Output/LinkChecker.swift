/// Checks that every internal link and `#anchor` of every page resolves.
///
/// It reads the final HTML, so links written by templates are checked as well as those of
/// the Markdown; a broken Markdown link is reported at its line in the Markdown file.
struct LinkChecker {
    /// Every URL path the build serves (pages, assets before hashing, generated files).
    let urls: Set<String>
    /// Page URL to the ids its HTML defines.
    let anchors: [String: Set<String>]

    /// Layout name to its text, to find the line of a link a template wrote.
    var templateTexts: [String: (file: String, text: String)] = [:]

    init(pages: [RenderedPage], otherURLs: Set<String>) {
        var anchors: [String: Set<String>] = [:]
        for page in pages { anchors[page.url] = Set(HTMLScan.values(of: "id", in: page.html)) }
        self.anchors = anchors
        self.urls = otherURLs.union(pages.map(\.url))
    }

    func problems(in pages: [RenderedPage]) -> [BuildProblem] {
        var problems: [BuildProblem] = []
        for page in pages {
            var seen = Set<String>()
            for link in HTMLScan.values(of: "href", in: page.html) + HTMLScan.values(of: "src", in: page.html) {
                let target = link.replacingOccurrences(of: "&amp;", with: "&")
                guard seen.insert(target).inserted, let reason = reason(target, on: page.url) else { continue }
                if let source = page.sourceFile, let written = page.markdownLinks.first(where: { $0.rendered == target }) {
                    problems.append(BuildProblem(file: source, line: written.line, "\(written.written) -> \(reason)"))
                } else {
                    let (file, line) = templateLocation(of: target, layout: page.layout)
                    problems.append(BuildProblem(file: file, line: line, "\(target) (on \(page.url)) -> \(reason)"))
                }
            }
        }
        return problems
    }

    /// The template file and line that wrote a literal link, searched in the layout and then
    /// in every partial; the layout alone when the link came from a variable.
    private func templateLocation(of link: String, layout: String) -> (String, Int?) {
        let candidates = [templateTexts[layout]].compactMap { $0 } + templateTexts.sorted { $0.key < $1.key }.map(\.value)
        for candidate in candidates {
            let lines = candidate.text.split(separator: "\n", omittingEmptySubsequences: false)
            if let index = lines.firstIndex(where: { $0.contains("\"\(link)\"") }) { return (candidate.file, index + 1) }
        }
        return (templateTexts[layout]?.file ?? "templates/layouts/\(layout).mustache", nil)
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
        let decoded = target.removingPercentEncoding ?? target
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
    static func values(of attribute: String, in html: String) -> [String] {
        var values: [String] = []
        let needle = Array(" \(attribute)=\"".utf8)
        let bytes = Array(html.utf8)
        var index = 0
        while index + needle.count <= bytes.count {
            if bytes[index] == needle[0], bytes[index..<index + needle.count].elementsEqual(needle) {
                let start = index + needle.count
                var end = start
                while end < bytes.count, bytes[end] != UInt8(ascii: "\"") { end += 1 }
                values.append(String(decoding: bytes[start..<end], as: UTF8.self))
                index = end
            } else {
                index += 1
            }
        }
        return values
    }
}

import Foundation
