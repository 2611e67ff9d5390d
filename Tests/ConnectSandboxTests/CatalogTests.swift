import ConnectAPI
import Foundation
import Testing
@testable import ConnectSandbox

/// A mistake in `sandbox.yaml` stops the start with the file, the line and the reason.
@Suite struct CatalogTests {
    @Test func theRealCatalogLoads() throws {
        let catalog = try SandboxCatalog.load(content: SandboxHarness.content)
        #expect(catalog.apps.map(\.name) == ["Support Triage", "Public Demo"])
        #expect(catalog.apps[0].requirements.map(\.type) == [.pipedreamAccount, .connection, .connection])
    }

    @Test(arguments: [
        ("hostname: 4f6e1c2a-7b3d-4e5f-8a9b-0c1d2e3f4a5b.apps.us-east-1.getdynamiq.ai", "hostname: not a host!", "`hostname` must be a DNS name"),
        ("- dynamiq_acc_SandboxDemoKeyForLocalUseOnly00000000000000000000000000000000000", "- dynamiq_acc_short", "an Access Key is `dynamiq_acc_` followed by 64"),
        ("type: dynamiq.connections.HttpApiKey", "type: dynamiq.connections.Nope", "connection type `dynamiq.connections.Nope` is not in connection-types.yaml"),
        ("id: 5e4d3c2b-1a09-4f8e-9d7c-6b5a43210fed", "id: 42", "`id` must be a UUID"),
        ("        type: pipedream_account\n        title", "        type: sorcery\n        title", "`apps.0.requirements.0.type`"),
    ])
    func aMistakeNamesItsLine(original: String, replacement: String, message: String) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("catalog-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.copyItem(at: SandboxHarness.content.appendingPathComponent("connection-types.yaml"), to: folder.appendingPathComponent("connection-types.yaml"))
        let text = try String(contentsOf: SandboxHarness.content.appendingPathComponent("sandbox.yaml"), encoding: .utf8)
        let range = try #require(text.range(of: original))
        let broken = text.replacingCharacters(in: range, with: replacement)
        try broken.write(to: folder.appendingPathComponent("sandbox.yaml"), atomically: true, encoding: .utf8)
        let line = broken[..<range.lowerBound].filter { $0 == "\n" }.count + 1 + (replacement.hasPrefix("\n") ? 1 : 0)
        do {
            _ = try SandboxCatalog.load(content: folder, shownAs: "content")
            Issue.record("a broken sandbox.yaml loaded")
        } catch {
            #expect(error.file == "content/sandbox.yaml")
            #expect(error.line == line, "\(error)")
            #expect(error.message.contains(message), "\(error)")
        }
    }
}
