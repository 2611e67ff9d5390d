import ConnectAPI
import Crypto
import Foundation

/// A small `public/` folder with its manifest, made in a temporary folder the way
/// `build-site` makes one: hashes, gzip variants, a 404 page, and a whole-folder swap.
struct SiteFixture {
    /// One file of the fixture site.
    struct File {
        var path: String
        var file: String
        var body: [UInt8]
        var mediaType = "text/html; charset=utf-8"
        var immutable = false
        /// Whether to write a `.gz` variant. Its bytes are a stand-in (the server treats
        /// a variant as opaque bytes and never decodes it), distinct from the original's.
        var gzip = false
        /// The CSP digests of the page's inline script and style, as build-site lists them.
        var scriptHashes: [String]? = nil
        var styleHashes: [String]? = nil
        var frameAncestors: [String]? = nil
    }

    /// The temporary folder holding `public/` and, beside it, files that must stay unreachable.
    let base: URL
    var publicPath: String { base.appendingPathComponent("public").path }

    static let secret = "TOP-SECRET-OUTSIDE-PUBLIC"

    /// Every file large enough to have a gzip variant is over 1 KiB, as in the builder.
    static func defaultFiles(version: String = "v1") -> [File] {
        let filler = String(repeating: "lorem ipsum dolor sit amet ", count: 60)
        return [
            File(path: "/", file: "index.html", body: Array("<h1>Home \(version)</h1>\(filler)".utf8), gzip: true),
            File(path: "/docs/overview/", file: "docs/overview/index.html",
                 body: Array("<h1>Overview \(version)</h1>\(filler)".utf8), gzip: true),
            File(path: "/assets/site.3f2a1c9e.css", file: "assets/site.3f2a1c9e.css",
                 body: Array("body{color:#222}\(filler)".utf8), mediaType: "text/css; charset=utf-8",
                 immutable: true, gzip: true),
            File(path: "/assets/blob.bin", file: "assets/blob.bin", body: (0..<10_000).map { UInt8($0 % 251) },
                 mediaType: "application/octet-stream"),
            File(path: "/empty.txt", file: "empty.txt", body: [], mediaType: "text/plain; charset=utf-8"),
            File(path: "/404.html", file: "404.html", body: Array("<h1>Not here \(version)</h1>".utf8)),
        ]
    }

    /// Makes the folder with `files` and a manifest whose 404 page is `/404.html`.
    static func make(files: [File] = defaultFiles()) throws -> SiteFixture {
        let base = FileManager.default.temporaryDirectory
            .appendingPathComponent("connect-server-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        try Data(secret.utf8).write(to: base.appendingPathComponent("secret.txt"))
        let fixture = SiteFixture(base: base)
        try fixture.write(files, to: base.appendingPathComponent("public"))
        return fixture
    }

    /// Builds `files` in a new folder and renames it over `public/`, as the builder does.
    func rebuild(files: [File]) throws {
        let fresh = base.appendingPathComponent("public.new-\(UUID().uuidString)")
        try write(files, to: fresh)
        let old = base.appendingPathComponent("public.old-\(UUID().uuidString)")
        try FileManager.default.moveItem(at: base.appendingPathComponent("public"), to: old)
        try FileManager.default.moveItem(at: fresh, to: base.appendingPathComponent("public"))
        try FileManager.default.removeItem(at: old)
    }

    func remove() { try? FileManager.default.removeItem(at: base) }

    /// The strong ETag the server gives these bytes: 128 bits of their SHA-256, quoted.
    static func etag(_ bytes: [UInt8]) -> String { "\"\(sha256(bytes).prefix(32))\"" }

    static func sha256(_ bytes: [UInt8]) -> String {
        SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
    }

    static func gzipStandIn(_ bytes: [UInt8]) -> [UInt8] { Array("GZ".utf8) + bytes.prefix(64) }

    private func write(_ files: [File], to folder: URL) throws {
        let manager = FileManager.default
        try manager.createDirectory(at: folder, withIntermediateDirectories: true)
        // Things no URL may reach: a dotfile and a symlink out of the folder.
        try Data("SECRET=\(Self.secret)".utf8).write(to: folder.appendingPathComponent(".env"))
        try? manager.createSymbolicLink(atPath: folder.appendingPathComponent("link.txt").path,
                                        withDestinationPath: base.appendingPathComponent("secret.txt").path)
        var entries: [ManifestEntry] = []
        for file in files {
            let url = folder.appendingPathComponent(file.file)
            try manager.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(file.body).write(to: url)
            var variant: GzipVariant?
            if file.gzip {
                let gz = Self.gzipStandIn(file.body)
                try Data(gz).write(to: folder.appendingPathComponent(file.file + ".gz"))
                variant = GzipVariant(file: file.file + ".gz", size: gz.count, sha256: Self.sha256(gz))
            }
            entries.append(ManifestEntry(path: file.path, file: file.file, mediaType: file.mediaType,
                                         size: file.body.count, sha256: Self.sha256(file.body), gzip: variant,
                                         immutable: file.immutable, scriptHashes: file.scriptHashes, styleHashes: file.styleHashes,
                                         frameAncestors: file.frameAncestors))
        }
        entries.sort { $0.path < $1.path }
        let manifest = SiteManifest(notFound: "/404.html", entries: entries)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(manifest).write(to: folder.appendingPathComponent(SiteManifest.fileName))
    }
}
