import ConnectAPI
import Foundation

/// What an update in place did, for its one line on the terminal.
public struct UpdateSummary: Sendable, CustomStringConvertible {
    public var pages: [String]
    /// From the start of the update to the pages' files and the manifest in place.
    public var pagesMilliseconds: Double
    /// From the start to the files made from all pages (search index, llms-full.txt) in place.
    public var totalMilliseconds: Double

    public var description: String {
        String(format: "Updated %@ in %.1f ms; search index and llms-full.txt at %.0f ms",
               pages.joined(separator: ", "), pagesMilliseconds, totalMilliseconds)
    }
}

extension SiteBuild {
    /// Writes the pages whose Markdown body changed straight into the live output folder,
    /// when nothing else can have changed: same front matter (so the sidebar, titles and
    /// every other page stay as they are), same ids (so links into the pages still hold).
    ///
    /// In two steps, each ending with the manifest: first the pages' files (the reader's
    /// page), then the files made from all pages. A server reading the manifest between
    /// them sees a consistent site, with the search index one save behind.
    ///
    /// - Parameter changed: Absolute paths of the files that changed.
    /// - Returns: Nil when the change needs a full build (anything but a page body).
    /// - Throws: ``BuildFailure`` when a changed page has a broken link; nothing is written.
    public func update(changed: [String]) async throws -> UpdateSummary? {
        let start = ContinuousClock.now
        guard let cache, !changed.isEmpty, var snapshot = cache.takeSnapshot(), snapshot.options == options else { return nil }
        let root = options.content.standardizedFileURL.path + "/"
        var updated: [RenderedPage] = []
        for path in changed {
            guard path.hasPrefix(root), path.hasSuffix(".md") else { return nil }
            let relative = String(path.dropFirst(root.count))
            guard let index = snapshot.sourceIndex[relative],
                  let text = try? String(contentsOfFile: path, encoding: .utf8),
                  let split = try? FrontMatter.split(text, file: snapshot.site.pages[index].displayPath),
                  split.0 == snapshot.site.pages[index].frontMatter,
                  // A page that shows a deploy file needs the whole build that makes it.
                  !split.body.contains(DeployInclude.opening) else { return nil }
            snapshot.site.pages[index].body = split.body
            snapshot.site.pages[index].bodyLine = split.bodyLine
            let page = snapshot.renderer.cached(snapshot.site.pages[index])
            guard let position = snapshot.pageIndex[page.url], snapshot.links.replace(page) else { return nil }
            snapshot.pages[position] = page
            if let entry = snapshot.searchPositions[page.url] {
                snapshot.searchEntries[entry] = SearchIndex.entry(for: page, navigation: snapshot.navigation)
            }
            updated.append(page)
        }
        let problems = snapshot.links.problems(in: updated)
        guard problems.isEmpty else { throw BuildFailure(problems) }

        let writer = SiteWriter(output: options.output, previous: cache.written)
        let pageFiles = updated.flatMap { Self.files(of: $0, assets: snapshot.assets) }
        try writer.replace(pageFiles, in: &snapshot.manifest)
        let pagesDone = ContinuousClock.now - start

        let generated = Self.generatedFiles(site: snapshot.site, pages: snapshot.pages, navigation: snapshot.navigation,
                                            baseURL: snapshot.baseURL, searchEntries: snapshot.searchEntries)
        let before = Dictionary(snapshot.generated, uniquingKeysWith: { first, _ in first })
        let changedGenerated = generated.filter { before[$0.0] != $0.1 }.map { name, text in
            OutputFile(file: name, url: "/" + name, bytes: Data(text.utf8), mediaType: MediaType.of(name))
        }
        if !changedGenerated.isEmpty { try writer.replace(changedGenerated, in: &snapshot.manifest) }
        snapshot.generated = generated
        cache.snapshot = snapshot
        func milliseconds(_ duration: Duration) -> Double { Double(duration / .microseconds(1)) / 1000 }
        return UpdateSummary(pages: updated.map(\.url), pagesMilliseconds: milliseconds(pagesDone),
                             totalMilliseconds: milliseconds(ContinuousClock.now - start))
    }
}
