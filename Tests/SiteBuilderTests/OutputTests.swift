import ConnectAPI
import Foundation
import Testing

/// What a build writes: pretty URLs, hashed assets, gzip variants, the manifest.
@Suite struct OutputTests {
    @Test func writesPrettyURLsWithMarkdownCopiesAndTheSiteFiles() async throws {
        let site = try FixtureSite()
        defer { site.remove() }
        let summary = try await site.build()
        let files = try site.outputFiles()
        for path in ["index.html", "docs/guide/index.html", "docs/guide/index.md", "docs/raw/index.html", "api/index.html",
                     "api/createThing/index.html", "api/createThing/index.md", "404.html", "sitemap.xml", "robots.txt",
                     "llms.txt", "llms-full.txt", "openapi.yaml", ".manifest.json"] {
            #expect(files[path] != nil, "missing \(path)")
        }
        #expect(summary.pages == 7)
        #expect(try site.read("docs/guide/index.md").hasPrefix("# A guide\n\n> Headings, code and links.\n"))
        #expect(try site.read("robots.txt").contains("Sitemap: https://docs.example.test/sitemap.xml"))
        let full = try site.read("llms-full.txt")
        #expect(full.contains("# A guide") && full.contains("# Create a thing"))
    }

    @Test func assetsGetAContentHashAndEveryReferenceFollows() async throws {
        let site = try FixtureSite()
        defer { site.remove() }
        _ = try await site.build()
        let files = try site.outputFiles()
        let css = try #require(files.keys.first { $0.hasPrefix("assets/site.") && $0.hasSuffix(".css") })
        #expect(css.range(of: #"^assets/site\.[0-9a-f]{8}\.css$"#, options: .regularExpression) != nil)
        #expect(files["assets/site.css"] == nil)
        let html = try site.read("docs/guide/index.html")
        #expect(html.contains("href=\"/\(css)\""))
        #expect(!html.contains("\"/assets/site.css\""))
        let image = try #require(files.keys.first { $0.hasPrefix("images/dot.") })
        #expect(html.contains("src=\"/\(image)\""))
    }

    @Test func theManifestListsEveryServedFileWithItsHashAndVariant() async throws {
        let site = try FixtureSite()
        defer { site.remove() }
        _ = try await site.build()
        let files = try site.outputFiles()
        let manifest = try JSONDecoder().decode(SiteManifest.self, from: try #require(files[".manifest.json"]))
        #expect(manifest.version == SiteManifest.currentVersion)
        #expect(manifest.notFound == "/404.html")
        #expect(manifest.entries.map(\.path) == manifest.entries.map(\.path).sorted())
        let listed = Set(manifest.entries.map(\.file) + manifest.entries.compactMap(\.gzip?.file))
        #expect(listed == Set(files.keys).subtracting([".manifest.json", ".gitkeep"]))
        for entry in manifest.entries {
            let bytes = try #require(files[entry.file])
            #expect(entry.size == bytes.count)
            // Immutable exactly when the name carries a content hash.
            #expect(entry.immutable == (entry.file.range(of: #"\.[0-9a-f]{8}\.[a-z]+$"#, options: .regularExpression) != nil))
            if let gzip = entry.gzip {
                #expect(entry.size > 1024)
                let compressed = try #require(files[gzip.file])
                #expect(compressed.count == gzip.size && compressed.count < bytes.count)
                #expect(try gunzip(compressed) == bytes)
            } else if entry.size > 1024 {
                // Markdown copies are read by the odd agent, not every visitor: no variant.
                #expect(!entry.mediaType.hasPrefix("text/") || entry.file.hasSuffix(".md"),
                        "\(entry.file) is text over 1 KiB without a gzip variant")
            }
        }
        let guide = try #require(manifest.entries.first { $0.path == "/docs/guide/" })
        #expect(guide.file == "docs/guide/index.html" && guide.mediaType == "text/html; charset=utf-8" && !guide.immutable)
        #expect(manifest.entries.contains { $0.path == "/docs/guide/index.md" && $0.mediaType == "text/markdown; charset=utf-8" })
    }

    @Test func twoBuildsOfTheSameInputAreByteIdentical() async throws {
        let first = try FixtureSite()
        defer { first.remove() }
        _ = try await first.build()
        let once = try first.outputFiles()
        _ = try await first.build()
        #expect(try first.outputFiles() == once)
        let second = try FixtureSite()
        defer { second.remove() }
        _ = try await second.build()
        #expect(try second.outputFiles() == once)
    }

    @Test func aFailedBuildLeavesThePreviousOutputIntact() async throws {
        let site = try FixtureSite()
        defer { site.remove() }
        _ = try await site.build()
        let before = try site.outputFiles()
        // A build killed while writing leaves its staging folder behind.
        let leftover = site.root.appendingPathComponent(".public.building-99999")
        try FileManager.default.createDirectory(at: leftover, withIntermediateDirectories: true)
        try site.write("---\ntitle: Broken\n---\n\n[x](nowhere.md)\n", to: "docs/broken.md")
        #expect(await site.problems().count == 1)
        #expect(try site.outputFiles() == before)
        try FileManager.default.removeItem(at: site.content.appendingPathComponent("docs/broken.md"))
        _ = try await site.build()
        let siblings = try FileManager.default.contentsOfDirectory(atPath: site.root.path)
        // deploy/ is the build's too: the configs made from the manifest (DeployTests).
        #expect(siblings.sorted() == ["content", "deploy", "public", "templates"], "staging folders were left: \(siblings)")
        let deployFiles = try FileManager.default.contentsOfDirectory(atPath: site.root.appendingPathComponent("deploy").path)
        #expect(deployFiles.sorted() == ["Caddyfile", "_headers", "nginx.conf"], "half-written deploy files were left: \(deployFiles)")
    }

    @Test func filesOfAnEarlierBuildDoNotLinger() async throws {
        let site = try FixtureSite()
        defer { site.remove() }
        _ = try await site.build()
        try FileManager.default.removeItem(at: site.content.appendingPathComponent("docs/raw.md"))
        try site.write("---\ntitle: A guide\n---\n\nNo more links.\n", to: "docs/guide.md")
        _ = try await site.build()
        #expect(try site.outputFiles()["docs/raw/index.html"] == nil)
    }

    private func gunzip(_ data: Data) throws -> Data {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("x.gz")
        try data.write(to: file)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/gzip")
        process.arguments = ["-d", file.path]
        try process.run()
        process.waitUntilExit()
        return try Data(contentsOf: folder.appendingPathComponent("x"))
    }
}
