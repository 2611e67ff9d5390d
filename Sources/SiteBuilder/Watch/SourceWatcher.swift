import Foundation

/// Notices changes under `content/` and `templates/` by comparing each file's size and
/// modification time, polled: it needs no inotify, and a debounce folds an editor's
/// burst of writes into one rebuild.
public struct SourceWatcher: Sendable {
    public var folders: [URL]
    /// How often to look.
    public var interval: Duration
    /// How long the tree must stay still before a change counts.
    public var quiet: Duration

    public init(folders: [URL], interval: Duration = .milliseconds(100), quiet: Duration = .milliseconds(120)) {
        self.folders = folders
        self.interval = interval
        self.quiet = quiet
    }

    /// A fingerprint of every file: path, size and modification time.
    public func snapshot() -> [String: String] {
        var files: [String: String] = [:]
        for folder in folders {
            guard let enumerator = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.contentModificationDateKey, .fileSizeKey],
                                                                  options: [.skipsHiddenFiles]) else { continue }
            for case let url as URL in enumerator {
                let values = try? url.resourceValues(forKeys: [.contentModificationDateKey, .fileSizeKey])
                files[url.path] = "\(values?.fileSize ?? -1):\(values?.contentModificationDate?.timeIntervalSince1970 ?? 0)"
            }
        }
        return files
    }

    /// Calls `changed` after every settled change, until the task is cancelled.
    public func run(_ changed: @Sendable () async -> Void) async {
        var last = snapshot()
        while !Task.isCancelled {
            try? await Task.sleep(for: interval)
            var now = snapshot()
            guard now != last else { continue }
            // Wait for the writes to settle.
            while !Task.isCancelled {
                try? await Task.sleep(for: quiet)
                let again = snapshot()
                if again == now { break }
                now = again
            }
            last = now
            await changed()
        }
    }
}
