import Foundation
@testable import SiteBuilder

/// A copy of the fixture site in a temporary folder, built with the real templates, so a
/// test can break it without touching the repository.
struct FixtureSite {
    static let testsFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    static let repository = testsFolder.deletingLastPathComponent().deletingLastPathComponent()
    static let goldenFolder = testsFolder.appendingPathComponent("Golden")

    let root: URL
    var content: URL { root.appendingPathComponent("content") }
    var templates: URL { root.appendingPathComponent("templates") }
    var output: URL { root.appendingPathComponent("public") }

    /// - Parameter contentFolder: the fixture (default) or the repository's own `content/`.
    init(contentFolder: URL = testsFolder.appendingPathComponent("Fixtures/site")) throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("connectsite-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: contentFolder, to: content)
        try FileManager.default.copyItem(at: Self.repository.appendingPathComponent("templates"), to: templates)
    }

    func build(baseURL: String? = nil, sandboxOrigins: [String] = []) async throws -> SiteBuild.Summary {
        try await SiteBuild(options: .init(content: content.path, templates: templates.path, output: output.path, baseURL: baseURL,
                                           sandboxOrigins: sandboxOrigins)).run()
    }

    /// The problems a failing build reports, as `file:line: message` with paths relative to `root`.
    func problems() async -> [String] {
        do {
            _ = try await build()
            return []
        } catch let failure as BuildFailure {
            return failure.problems.map { $0.description.replacingOccurrences(of: root.path + "/", with: "") }
        } catch {
            return ["\(error)"]
        }
    }

    func write(_ text: String, to path: String) throws {
        let url = content.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
    }

    func read(_ path: String) throws -> String {
        try String(contentsOf: output.appendingPathComponent(path), encoding: .utf8)
    }

    /// Every file of the output (or of `folder`), dotfiles included, with its bytes.
    func outputFiles(of folder: URL? = nil) throws -> [String: Data] {
        let folder = folder ?? output
        var files: [String: Data] = [:]
        let base = folder.resolvingSymlinksInPath().path
        let enumerator = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey])!
        for case let url as URL in enumerator where (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true {
            files[String(url.resolvingSymlinksInPath().path.dropFirst(base.count + 1))] = try Data(contentsOf: url)
        }
        return files
    }

    func remove() {
        try? FileManager.default.removeItem(at: root)
    }
}
