import ConnectAPI
import Foundation
import Testing
@testable import SiteBuilder

/// Under `--watch`, saving a page's body writes that page in place; the output then equals
/// a full build's, and anything else falls back to a full build.
@Suite struct PageUpdateTests {
    func watching(_ site: FixtureSite) async throws -> SiteBuild {
        let build = SiteBuild(options: .init(content: site.content.path, templates: site.templates.path, output: site.output.path),
                              cache: RenderCache())
        _ = try await build.run()
        return build
    }

    func edit(_ site: FixtureSite, _ path: String, _ change: (String) -> String) throws -> String {
        let url = site.content.appendingPathComponent(path)
        try change(try String(contentsOf: url, encoding: .utf8)).write(to: url, atomically: true, encoding: .utf8)
        return url.standardizedFileURL.path
    }

    @Test func aBodyEditIsWrittenInPlaceAndEqualsAFullBuild() async throws {
        let site = try FixtureSite()
        defer { site.remove() }
        let build = try await watching(site)
        let untouched = site.output.appendingPathComponent("docs/guide/index.html").path
        let inode = try #require(try FileManager.default.attributesOfItem(atPath: untouched)[.systemFileNumber] as? Int)

        let path = try edit(site, "docs/raw.md") { $0 + "\nA freshly saved paragraph.\n" }
        let summary = try #require(try await build.update(changed: [path]))
        #expect(summary.pages == ["/docs/raw/"])
        #expect(try site.read("docs/raw/index.html").contains("A freshly saved paragraph."))
        #expect(try site.read("docs/raw/index.md").contains("A freshly saved paragraph."))
        #expect(try site.read("search-index.json").contains("A freshly saved paragraph."))
        #expect(try site.read("llms-full.txt").contains("A freshly saved paragraph."))
        // Other pages were not touched at all.
        #expect(try FileManager.default.attributesOfItem(atPath: untouched)[.systemFileNumber] as? Int == inode)

        // The manifest describes every file exactly, and the folder equals a fresh build's.
        let manifest = try JSONDecoder().decode(SiteManifest.self, from: Data(contentsOf: site.output.appendingPathComponent(".manifest.json")))
        for entry in manifest.entries {
            let bytes = try Data(contentsOf: site.output.appendingPathComponent(entry.file))
            #expect(bytes.count == entry.size, "\(entry.file)")
            #expect(Digest.sha256(bytes) == entry.sha256, "\(entry.file)")
        }
        let updated = try site.outputFiles()
        _ = try await SiteBuild(options: .init(content: site.content.path, templates: site.templates.path, output: site.output.path)).run()
        #expect(try site.outputFiles() == updated)
    }

    @Test func twoUpdatesInARowBuildOnEachOther() async throws {
        let site = try FixtureSite()
        defer { site.remove() }
        let build = try await watching(site)
        let path = try edit(site, "docs/raw.md") { $0 + "\nFirst save.\n" }
        _ = try #require(try await build.update(changed: [path]))
        _ = try edit(site, "docs/raw.md") { $0 + "\nSecond save.\n" }
        _ = try #require(try await build.update(changed: [path]))
        let page = try site.read("docs/raw/index.html")
        #expect(page.contains("First save.") && page.contains("Second save."))
        let updated = try site.outputFiles()
        _ = try await SiteBuild(options: .init(content: site.content.path, templates: site.templates.path, output: site.output.path)).run()
        #expect(try site.outputFiles() == updated)
    }

    /// A title shows in every page's sidebar, a removed id may break another page's link,
    /// and a template or data file can change anything: those need the full build.
    @Test func changesBeyondABodyAskForAFullBuild() async throws {
        let site = try FixtureSite()
        defer { site.remove() }
        let build = try await watching(site)
        let before = try site.outputFiles()
        let title = try edit(site, "docs/raw.md") { $0.replacingOccurrences(of: "title: Raw HTML allowed", with: "title: Raw HTML kept") }
        #expect(try await build.update(changed: [title]) == nil)
        _ = try edit(site, "docs/raw.md") { $0.replacingOccurrences(of: "title: Raw HTML kept", with: "title: Raw HTML allowed") }
        let heading = try edit(site, "docs/guide.md") { $0.replacingOccurrences(of: "### A sub-step", with: "### A renamed step") }
        #expect(try await build.update(changed: [heading]) == nil)
        let template = site.templates.appendingPathComponent("layouts/guide.mustache").standardizedFileURL.path
        #expect(try await build.update(changed: [template]) == nil)
        #expect(try site.outputFiles() == before, "a refused update wrote something")
    }

    @Test func aBrokenLinkIsReportedAndNothingIsWritten() async throws {
        let site = try FixtureSite()
        defer { site.remove() }
        let build = try await watching(site)
        let before = try site.outputFiles()
        let path = try edit(site, "docs/raw.md") { $0 + "\nSee [nowhere](/docs/missing/).\n" }
        await #expect(throws: BuildFailure.self) { try await build.update(changed: [path]) }
        #expect(try site.outputFiles() == before)
        // The failed update kept nothing of the broken page: the next change builds it all.
        _ = try edit(site, "docs/raw.md") { $0.replacingOccurrences(of: "See [nowhere](/docs/missing/).", with: "Fixed.") }
        #expect(try await build.update(changed: [path]) == nil)
        _ = try await build.run()
        #expect(try site.read("docs/raw/index.html").contains("Fixed."))
    }
}
