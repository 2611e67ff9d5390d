import ConnectAPI
import Foundation
import Testing
@testable import SiteBuilder

/// A build links the files whose bytes the live folder already has (by its manifest),
/// and writes the rest; the output is the same as a build into an empty folder.
@Suite struct OutputReuseTests {
    func inode(_ site: FixtureSite, _ path: String) throws -> Int {
        try #require(try FileManager.default.attributesOfItem(atPath: site.output.appendingPathComponent(path).path)[.systemFileNumber] as? Int)
    }

    /// What a build into an empty folder writes, for comparison.
    func freshOutput(_ site: FixtureSite) async throws -> [String: Data] {
        let elsewhere = site.root.appendingPathComponent("fresh")
        _ = try await SiteBuild(options: .init(content: site.content.path, templates: site.templates.path, output: elsewhere.path)).run()
        return try site.outputFiles(of: elsewhere)
    }

    @Test func anUnchangedFileIsLinkedAndAChangedOneWritten() async throws {
        let site = try FixtureSite()
        defer { site.remove() }
        _ = try await site.build()
        let guide = try inode(site, "docs/guide/index.html"), guideGzip = try inode(site, "docs/guide/index.html.gz")
        let raw = try inode(site, "docs/raw/index.html")

        try site.write(try String(contentsOf: site.content.appendingPathComponent("docs/raw.md"), encoding: .utf8) + "\nNew words.\n",
                       to: "docs/raw.md")
        _ = try await site.build()
        #expect(try inode(site, "docs/guide/index.html") == guide, "an unchanged page was written again")
        #expect(try inode(site, "docs/guide/index.html.gz") == guideGzip, "an unchanged gzip twin was compressed again")
        #expect(try inode(site, "docs/raw/index.html") != raw)
        #expect(try site.read("docs/raw/index.html").contains("New words."))
        #expect(try site.outputFiles() == (try await freshOutput(site)))
    }

    /// A file changed in `public/` after the build (by hand, by another tool) is not
    /// trusted: the next build writes it again, whatever its size.
    @Test(arguments: [false, true])
    func aFileEditedInTheOutputIsWrittenAgain(keepingItsSize: Bool) async throws {
        let site = try FixtureSite()
        defer { site.remove() }
        _ = try await site.build()
        let path = site.output.appendingPathComponent("docs/guide/index.html").path
        let original = try Data(contentsOf: URL(fileURLWithPath: path))
        var edited = original
        if keepingItsSize { edited[edited.count - 2] = UInt8(ascii: "X") } else { edited.append(contentsOf: Array("<!-- edited -->".utf8)) }
        try await Task.sleep(for: .milliseconds(20))  // a later modification time than the manifest's
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.write(contentsOf: edited)
        try handle.close()

        _ = try await site.build()
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == original)
        #expect(try site.outputFiles() == (try await freshOutput(site)))
    }
}
