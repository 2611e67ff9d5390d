import ConnectAPI
import Foundation

/// Writes a build into a fresh folder beside the output and swaps it in whole, so that a
/// server reading `public/` never sees half a site and no file of an earlier build lingers.
struct SiteWriter {
    let output: URL
    /// The previous build's files, in watch mode: unchanged ones are linked, not rewritten.
    var previous: WrittenFiles? = nil

    /// Files over this size that compress get a `.gz` variant.
    static let gzipThreshold = 1024

    /// Writes every file, its gzip variant and the manifest, then swaps the folder in.
    /// - Returns: the manifest written.
    func write(_ files: [OutputFile], notFound: String?) async throws -> SiteManifest {
        let fileManager = FileManager.default
        let parent = output.deletingLastPathComponent()
        try fileManager.createDirectory(at: parent, withIntermediateDirectories: true)
        removeLeftovers()
        let staging = parent.appendingPathComponent(".\(output.lastPathComponent).building-\(getpid())")
        try? fileManager.removeItem(at: staging)
        try fileManager.createDirectory(at: staging, withIntermediateDirectories: true)
        let reusable = previous == nil ? ReusableOutput(output: output) : nil
        do {
            try OutputFiles.makeFolders(for: files.map(\.file), in: staging.path)
            let results = try await withThrowingTaskGroup(of: [(entry: ManifestEntry, linked: Bool)].self) { group in
                for chunk in files.chunked(into: max(1, files.count / (ProcessInfo.processInfo.activeProcessorCount * 4) + 1)) {
                    group.addTask { try chunk.map { try self.write($0, into: staging, reusing: reusable) } }
                }
                var results: [(entry: ManifestEntry, linked: Bool)] = []
                for try await chunk in group { results.append(contentsOf: chunk) }
                return results
            }
            let entries = results.map(\.entry)
            let manifest = SiteManifest(notFound: notFound, entries: entries.sorted { $0.path < $1.path })
            try OutputFiles.write(manifest.encodedJSON(), to: staging.appendingPathComponent(SiteManifest.fileName).path)
            // Keeps `public/` in git (its only committed file) without serving it.
            try OutputFiles.write(Data(), to: staging.appendingPathComponent(".gitkeep").path)
            try swapIn(staging)
            if let previous {
                let byFile = Dictionary(entries.map { ($0.file, $0) }, uniquingKeysWith: { first, _ in first })
                let written = files.compactMap { file in byFile[file.file].map { (file, $0) } }
                previous.record(written, reused: results.filter(\.linked).count)
            }
            return manifest
        } catch {
            try? fileManager.removeItem(at: staging)
            throw error
        }
    }

    /// Links the file from the live folder when its bytes are already there (from the
    /// previous build in memory under `--watch`, else by the live manifest's hashes), or
    /// writes it.
    private func write(_ file: OutputFile, into folder: URL, reusing reusable: ReusableOutput?) throws
        -> (entry: ManifestEntry, linked: Bool) {
        if let entry = previous?.entry(for: file), link(entry, into: folder) { return (entry, true) }
        let sha256 = Digest.sha256(file.bytes)
        if let reusable, let entry = reusable.link(file, sha256: sha256, gzip: Self.wantsGzip(file), into: folder.path) {
            return (entry, true)
        }
        return (try Self.write(file, sha256: sha256, into: folder.path), false)
    }

    /// Links an unchanged file (and its gzip variant) from the live output into the new
    /// folder; false when that cannot be done, and the file is written instead.
    private func link(_ entry: ManifestEntry, into folder: URL) -> Bool {
        OutputFiles.link([entry.file] + (entry.gzip.map { [$0.file] } ?? []), from: output.path, into: folder.path)
    }

    /// Writes a file and its gzip variant with `put` (a plain write into a new folder, or
    /// a rename into place in the live one), and describes them for the manifest.
    private static func write(_ file: OutputFile, sha256: String, into folder: String,
                              with put: (Data, String) throws -> Void = OutputFiles.write) throws -> ManifestEntry {
        let path = folder + "/" + file.file
        try put(file.bytes, path)
        var variant: GzipVariant?
        if let compressed = gzipVariant(of: file) {
            try put(compressed, path + ".gz")
            variant = GzipVariant(file: file.file + ".gz", size: compressed.count, sha256: Digest.sha256(compressed))
        }
        return ManifestEntry(path: file.url, file: file.file, mediaType: file.mediaType, size: file.bytes.count,
                             sha256: sha256, gzip: variant, immutable: file.immutable,
                             scriptHashes: file.scriptHashes, styleHashes: file.styleHashes, frameAncestors: file.frameAncestors)
    }

    /// Replaces files of the live output folder, each written beside itself and renamed
    /// over the old one, then the manifest the same way: the `--watch` update of a page.
    /// A server loads a site only when the manifest changes, so it sees the old files with
    /// the old manifest or the new ones with the new.
    func replace(_ files: [OutputFile], in live: inout LiveManifest) throws {
        var written: [(OutputFile, ManifestEntry)] = []
        var staleVariants: [String] = []
        do {
            for file in files {
                let entry = try Self.write(file, sha256: Digest.sha256(file.bytes), into: output.path, with: Self.renameIntoPlace)
                if let stale = live.set(entry) { staleVariants.append(stale) }
                written.append((file, entry))
            }
            try Self.renameIntoPlace(live.encodedJSON(), at: output.appendingPathComponent(SiteManifest.fileName).path)
        } catch {
            previous?.forget()
            throw error
        }
        for name in staleVariants { unlink(output.appendingPathComponent(name).path) }
        previous?.update(written)
    }

    /// Writes `bytes` to a temporary name in the target's folder and renames it over the
    /// target, so a reader sees the old file or the new one, never half of one.
    private static func renameIntoPlace(_ bytes: Data, at target: String) throws {
        let slash = target.lastIndex(of: "/").map { target.index(after: $0) } ?? target.startIndex
        let temporary = String(target[..<slash]) + "." + target[slash...] + ".new-\(getpid())"
        try OutputFiles.write(bytes, to: temporary)
        guard rename(temporary, target) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "cannot replace \(target): \(reason)"])
        }
    }

    /// Whether a file is worth a gzip variant. Markdown copies get none: they are read by
    /// the odd agent, not by every visitor, and their variants were a quarter of the files
    /// a build wrote.
    static func wantsGzip(_ file: OutputFile) -> Bool {
        file.bytes.count > gzipThreshold && MediaType.isCompressible(file.mediaType) && !file.file.hasSuffix(".md")
    }

    /// The gzip bytes of a file worth compressing, nil for the others.
    private static func gzipVariant(of file: OutputFile) -> Data? {
        guard wantsGzip(file) else { return nil }
        let compressed = Gzip.compress(file.bytes, level: Gzip.level(for: file))
        return !compressed.isEmpty && compressed.count < file.bytes.count ? compressed : nil
    }

    /// Replaces the output folder by the staging one: atomically with `renameat2`'s
    /// exchange where the kernel has it, else by two renames.
    private func swapIn(_ staging: URL) throws {
        let fileManager = FileManager.default
        guard fileManager.fileExists(atPath: output.path) else {
            try fileManager.moveItem(at: staging, to: output)
            return
        }
        if AtomicSwap.exchange(staging.path, output.path) {
            OutputFiles.removeTree(staging.path)
            return
        }
        let old = output.deletingLastPathComponent().appendingPathComponent(".\(output.lastPathComponent).old-\(getpid())")
        try fileManager.moveItem(at: output, to: old)
        try fileManager.moveItem(at: staging, to: output)
        OutputFiles.removeTree(old.path)
    }

    /// Staging folders of builds that were killed before they finished.
    private func removeLeftovers() {
        let parent = output.deletingLastPathComponent()
        let prefix = ".\(output.lastPathComponent)."
        for name in (try? FileManager.default.contentsOfDirectory(atPath: parent.path)) ?? []
        where name.hasPrefix(prefix) && (name.contains(".building-") || name.contains(".old-")) {
            OutputFiles.removeTree(parent.appendingPathComponent(name).path)
        }
    }
}

extension Array {
    func chunked(into size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
