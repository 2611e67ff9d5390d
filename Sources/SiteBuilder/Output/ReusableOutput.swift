import ConnectAPI
import Foundation

/// The live output folder as its manifest describes it, so that a build can hard-link each
/// file whose bytes it would write again instead of writing (and compressing) it anew.
///
/// A file is linked only when the manifest lists it with the new bytes' hash and size, the
/// file on disk still has that size, and it was not changed after the manifest was
/// written: a file edited by hand in `public/` is written again.
struct ReusableOutput: Sendable {
    private let root: String
    private let entries: [String: ManifestEntry]
    private let manifestModified: timespec

    /// Nil when the folder has no readable manifest (a first build).
    init?(output: URL) {
        root = output.path
        let manifestPath = root + "/" + SiteManifest.fileName
        var info = stat()
        guard stat(manifestPath, &info) == 0, let data = FileManager.default.contents(atPath: manifestPath),
              let manifest = try? SiteManifest.decode(data), manifest.version == SiteManifest.currentVersion else { return nil }
        manifestModified = info.st_mtim
        entries = Dictionary(manifest.entries.map { ($0.file, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// Links `file` (and its gzip twin when `gzip` is wanted) into `folder` when the live
    /// folder has exactly these bytes.
    /// - Returns: The manifest entry of the linked file, nil when it must be written.
    func link(_ file: OutputFile, sha256: String, gzip wanted: Bool, into folder: String) -> ManifestEntry? {
        guard let old = entries[file.file], old.sha256 == sha256, old.size == file.bytes.count, old.path == file.url,
              old.mediaType == file.mediaType, old.immutable == file.immutable, (old.gzip != nil) == wanted else { return nil }
        let files = [(old.file, old.size)] + (old.gzip.map { [($0.file, $0.size)] } ?? [])
        for (name, size) in files {
            var info = stat()
            guard stat(root + "/" + name, &info) == 0, info.st_size == size, Self.notAfter(info.st_mtim, manifestModified) else {
                return nil
            }
        }
        return OutputFiles.link(files.map(\.0), from: root, into: folder) ? old : nil
    }

    private static func notAfter(_ time: timespec, _ limit: timespec) -> Bool {
        time.tv_sec < limit.tv_sec || (time.tv_sec == limit.tv_sec && time.tv_nsec <= limit.tv_nsec)
    }
}
