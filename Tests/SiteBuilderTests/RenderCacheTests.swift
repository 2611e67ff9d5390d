import ConnectAPI
import Foundation
import Testing
@testable import SiteBuilder

/// Watching, a rebuild re-renders only the pages a change affects, and gives the same
/// output as a build from scratch.
@Suite struct RenderCacheTests {
    @Test func aGuideEditReRendersThatGuideOnly() async throws {
        let site = try FixtureSite()
        defer { site.remove() }
        let cache = RenderCache()
        let build = SiteBuild(options: .init(content: site.content.path, templates: site.templates.path, output: site.output.path), cache: cache)
        _ = try await build.run()
        #expect(cache.renderedLastBuild == ["/api/createThing/", "/api/listWidgets/", "/docs/guide/", "/docs/raw/", "/"].sorted())
        _ = try await build.run()
        #expect(cache.renderedLastBuild == [], "an unchanged site re-rendered pages")

        let guide = site.content.appendingPathComponent("docs/raw.md")
        try (try String(contentsOf: guide, encoding: .utf8) + "\nOne more line.\n").write(to: guide, atomically: true, encoding: .utf8)
        _ = try await build.run()
        #expect(cache.renderedLastBuild == ["/docs/raw/"])
        #expect(try site.read("docs/raw/index.html").contains("One more line."))

        // A title shows in every page's sidebar: every page follows.
        try (try String(contentsOf: guide, encoding: .utf8)).replacingOccurrences(of: "title: Raw HTML allowed", with: "title: Raw HTML kept")
            .write(to: guide, atomically: true, encoding: .utf8)
        _ = try await build.run()
        #expect(cache.renderedLastBuild.count == 5)
        #expect(try site.read("api/createThing/index.html").contains("Raw HTML kept"))

        // The incremental output equals a build from scratch.
        let incremental = try site.outputFiles()
        _ = try await SiteBuild(options: .init(content: site.content.path, templates: site.templates.path, output: site.output.path)).run()
        #expect(try site.outputFiles() == incremental)
    }

    @Test func aLayoutEditReRendersThePagesThatUseIt() async throws {
        let site = try FixtureSite()
        defer { site.remove() }
        let cache = RenderCache()
        let build = SiteBuild(options: .init(content: site.content.path, templates: site.templates.path, output: site.output.path), cache: cache)
        _ = try await build.run()
        let layout = site.templates.appendingPathComponent("layouts/operation.mustache")
        try (try String(contentsOf: layout, encoding: .utf8)).replacingOccurrences(of: "Served on", with: "Answered by")
            .write(to: layout, atomically: true, encoding: .utf8)
        _ = try await build.run()
        #expect(cache.renderedLastBuild == ["/api/createThing/", "/api/listWidgets/"])
        #expect(try site.read("api/createThing/index.html").contains("Answered by"))
    }

    @Test func unchangedFilesAreLinkedFromTheLiveFolderNotWrittenAgain() async throws {
        let site = try FixtureSite()
        defer { site.remove() }
        let cache = RenderCache()
        let build = SiteBuild(options: .init(content: site.content.path, templates: site.templates.path, output: site.output.path), cache: cache)
        _ = try await build.run()
        #expect(cache.written.reusedLastBuild == 0)
        let unchanged = site.output.appendingPathComponent("docs/guide/index.html").path
        let inodeBefore = try #require(try FileManager.default.attributesOfItem(atPath: unchanged)[.systemFileNumber] as? Int)

        let guide = site.content.appendingPathComponent("docs/raw.md")
        try (try String(contentsOf: guide, encoding: .utf8) + "\nAnother line.\n").write(to: guide, atomically: true, encoding: .utf8)
        _ = try await build.run()
        let entries = try JSONDecoder().decode(SiteManifest.self, from: Data(contentsOf: site.output.appendingPathComponent(".manifest.json"))).entries
        // Everything but the changed page, its Markdown copy, and what lists every page's text.
        #expect(cache.written.reusedLastBuild >= entries.count - 6, "only \(cache.written.reusedLastBuild) of \(entries.count) reused")
        #expect(try FileManager.default.attributesOfItem(atPath: unchanged)[.systemFileNumber] as? Int == inodeBefore)
        #expect(try site.read("docs/raw/index.html").contains("Another line."))

        let incremental = try site.outputFiles()
        _ = try await SiteBuild(options: .init(content: site.content.path, templates: site.templates.path, output: site.output.path)).run()
        #expect(try site.outputFiles() == incremental)
    }
}
