import ConnectAPI
import Foundation

/// What the previous build of a `--watch` session wrote: each file's bytes and manifest
/// entry. A file whose bytes did not change is hard-linked from the live folder into the
/// new one, so it is neither compressed nor hashed nor written again.
public final class WrittenFiles: @unchecked Sendable {
    private let lock = NSLock()
    private var files: [String: (bytes: Data, entry: ManifestEntry)] = [:]
    private var reused = 0

    public init() {}

    /// How many files the last build linked instead of writing.
    public var reusedLastBuild: Int {
        lock.lock()
        defer { lock.unlock() }
        return reused
    }

    func entry(for file: OutputFile) -> ManifestEntry? {
        lock.lock()
        defer { lock.unlock() }
        guard let previous = files[file.file], previous.bytes == file.bytes, previous.entry.path == file.url,
              previous.entry.mediaType == file.mediaType, previous.entry.immutable == file.immutable else { return nil }
        return previous.entry
    }

    /// Remembers files replaced in place by an update, beside the rest of the last build.
    func update(_ written: [(OutputFile, ManifestEntry)]) {
        lock.lock()
        for (file, entry) in written { files[file.file] = (file.bytes, entry) }
        lock.unlock()
    }

    /// Forgets everything: after a failed update the live folder may hold bytes this
    /// record does not know, so nothing may be linked from it on trust.
    func forget() {
        lock.lock()
        files = [:]
        lock.unlock()
    }

    /// Remembers a build once it is in place.
    func record(_ written: [(OutputFile, ManifestEntry)], reused count: Int) {
        lock.lock()
        files = Dictionary(written.map { ($0.0.file, ($0.0.bytes, $0.1)) }, uniquingKeysWith: { first, _ in first })
        reused = count
        lock.unlock()
    }
}
