import Foundation

/// One dated entry of `content/changelog.md`: a `## 2026-12-02: What changed` heading and
/// the Markdown under it.
struct ChangelogEntry: Sendable, Equatable {
    /// `YYYY-MM-DD`.
    var date: String
    var title: String
    /// The heading's anchor on `/changelog/`, as the page's renderer makes it.
    var anchor: String
    var markdown: String
}

/// The changelog: a page like any guide, whose second-level headings are dated entries,
/// newest first. The build checks the dates, so the page and its Atom feed cannot go wrong.
enum Changelog {
    static let contentPath = "changelog.md"

    /// The entries, or the problems with their file lines.
    static func entries(of page: SourcePage) -> Result<[ChangelogEntry], BuildFailure> {
        var entries: [ChangelogEntry] = []
        var problems: [BuildProblem] = []
        var current: (entry: ChangelogEntry, lines: [Substring])?
        var fence: Substring?
        func close() {
            guard var done = current else { return }
            done.entry.markdown = done.lines.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
            entries.append(done.entry)
            current = nil
        }
        for (offset, line) in page.body.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.drop { $0 == " " }
            if let open = fence {
                if trimmed.hasPrefix(open) { fence = nil }
            } else if trimmed.hasPrefix("```") || trimmed.hasPrefix("~~~") {
                fence = trimmed.prefix(3)
            } else if line.hasPrefix("## ") {
                close()
                let heading = String(line.dropFirst(3)).trimmingCharacters(in: .whitespaces)
                let fileLine = page.bodyLine + offset
                guard let (date, title) = parse(heading) else {
                    problems.append(BuildProblem(file: page.displayPath, line: fileLine,
                                                 "a changelog entry's heading is `## YYYY-MM-DD: What changed`, not `## \(heading)`"))
                    continue
                }
                if let newer = entries.last ?? current?.entry, newer.date < date {
                    problems.append(BuildProblem(file: page.displayPath, line: fileLine,
                                                 "entries go newest first: \(date) comes after \(newer.date)"))
                }
                current = (ChangelogEntry(date: date, title: title, anchor: HeadingSlugger.slug(heading), markdown: ""), [])
                continue
            }
            current?.lines.append(line)
        }
        close()
        return problems.isEmpty ? .success(entries) : .failure(BuildFailure(problems))
    }

    /// `2026-12-02: Title` (or with a dash) → a real calendar date and the title.
    private static func parse(_ heading: String) -> (String, String)? {
        guard heading.count > 10 else { return nil }
        let date = String(heading.prefix(10))
        let rest = heading.dropFirst(10).drop { $0 == ":" || $0 == " " || $0 == "—" || $0 == "–" || $0 == "-" }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd"
        guard !rest.isEmpty, let parsed = formatter.date(from: date), formatter.string(from: parsed) == date else { return nil }
        return (date, String(rest))
    }
}

/// `/changelog.atom`: the changelog's entries as an Atom feed (RFC 4287) for feed readers.
enum ChangelogFeed {
    static let url = "/changelog.atom"

    static func atom(entries: [ChangelogEntry], siteTitle: String, baseURL: String, render: (String) -> String) -> String {
        let page = baseURL + "/changelog/"
        var xml = """
            <?xml version="1.0" encoding="utf-8"?>
            <feed xmlns="http://www.w3.org/2005/Atom">
              <title>\(escape(siteTitle)) changelog</title>
              <id>\(escape(page))</id>
              <link rel="alternate" type="text/html" href="\(escape(page))"/>
              <link rel="self" type="application/atom+xml" href="\(escape(baseURL + url))"/>
              <updated>\(entries.first?.date ?? "1970-01-01")T00:00:00Z</updated>

            """
        for entry in entries {
            xml += """
                  <entry>
                    <title>\(escape(entry.title))</title>
                    <id>\(escape(page + "#" + entry.anchor))</id>
                    <link rel="alternate" type="text/html" href="\(escape(page + "#" + entry.anchor))"/>
                    <updated>\(entry.date)T00:00:00Z</updated>
                    <author><name>\(escape(siteTitle))</name></author>
                    <content type="html">\(escape(render(entry.markdown)))</content>
                  </entry>

                """
        }
        return xml + "</feed>\n"
    }

    private static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
