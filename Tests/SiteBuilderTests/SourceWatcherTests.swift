import Foundation
import Testing
@testable import SiteBuilder

/// The watcher names the files that changed, ignores hidden ones inside the watched
/// folders, and works wherever those folders are, a hidden parent included.
@Suite struct SourceWatcherTests {
    /// The first batch of changes the watcher reports after `change` runs, or nil after 5 s.
    func firstChange(watching folder: URL, _ change: @escaping @Sendable () throws -> Void) async throws -> [String]?? {
        let (batches, continuation) = AsyncStream.makeStream(of: [String]?.self)
        let watcher = SourceWatcher(folders: [folder])
        let watching = Task { await watcher.run { continuation.yield($0) } }
        defer { watching.cancel() }
        try await Task.sleep(for: .milliseconds(300))  // the watches are in place
        try change()
        return await withTaskGroup(of: [String]??.self) { group in
            group.addTask { var iterator = batches.makeAsyncIterator(); return await iterator.next() }
            group.addTask { try? await Task.sleep(for: .seconds(5)); return nil }
            let first = await group.next()!
            group.cancelAll()
            return first
        }
    }

    @Test func namesTheSavedFileUnderAHiddenParent() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent(".hidden-\(UUID().uuidString)/project/content")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("docs"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root.deletingLastPathComponent().deletingLastPathComponent()) }
        let page = root.appendingPathComponent("docs/page.md")
        let reported = try await firstChange(watching: root) {
            try Data("# Swap\n".utf8).write(to: root.appendingPathComponent("docs/.page.md.swp"))
            try Data("# Page\n".utf8).write(to: page)
        }
        let batch = try #require(reported, "no change reported within 5 s")
        let paths = try #require(batch, "the watcher did not say which files changed")
        #expect(paths.contains(page.standardizedFileURL.path))
        #expect(!paths.contains { $0.hasSuffix(".swp") })
    }
}
