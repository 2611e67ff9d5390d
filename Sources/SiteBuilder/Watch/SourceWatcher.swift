import Foundation
import Synchronization

/// Notices changes under `content/` and `templates/`, and says which files changed.
///
/// On Linux it listens with inotify: a save is seen at once, and a short quiet period
/// folds an editor's burst of writes (write, rename, chmod) into one rebuild. Elsewhere,
/// or when the kernel refuses, it polls each file's size and modification time, and
/// reports a change without saying which files (a full build follows).
public struct SourceWatcher: Sendable {
    public var folders: [URL]
    /// How often to look when polling.
    public var interval: Duration
    /// How long the tree must stay still before a change counts.
    public var quiet: Duration

    public init(folders: [URL], interval: Duration = .milliseconds(100), quiet: Duration = .milliseconds(10)) {
        self.folders = folders
        self.interval = interval
        self.quiet = quiet
    }

    /// Calls `changed` after every settled change, with the changed paths (nil when not
    /// known), until the task is cancelled. Changes made during a call come in the next.
    public func run(_ changed: @Sendable ([String]?) async -> Void) async {
        #if os(Linux)
        if let inotify = Inotify(folders: folders.map { $0.standardizedFileURL.path }) {
            await listen(inotify, changed)
            return
        }
        #endif
        await poll(changed)
    }

    #if os(Linux)
    private func listen(_ inotify: Inotify, _ changed: @Sendable ([String]?) async -> Void) async {
        let (batches, continuation) = AsyncStream.makeStream(of: [String]?.self)
        let quietMilliseconds = Int32(quiet / .milliseconds(1))
        let roots = folders.map { $0.standardizedFileURL.path + "/" }
        let box = UncheckedBox(inotify)
        let stop = StopFlag()
        // inotify blocks in poll(2): on a thread of its own, not the concurrency pool's.
        let thread = Thread {
            while !stop.isSet {
                guard var paths = box.value.changes(timeout: 200) else {
                    continuation.yield(nil)
                    continue
                }
                guard !paths.isEmpty else { continue }
                var lost = false
                while true {
                    guard let more = box.value.changes(timeout: quietMilliseconds) else { lost = true; break }
                    if more.isEmpty { break }
                    paths += more
                }
                if lost {
                    continuation.yield(nil)
                    continue
                }
                // Hidden files and folders inside the watched folders are not the build's
                // (editor swap files); the folders' own paths may be anywhere.
                let relevant = paths.filter { path in
                    let inside = roots.first { path.hasPrefix($0) }.map { String(path.dropFirst($0.count)) } ?? ""
                    return !inside.split(separator: "/").contains { $0.hasPrefix(".") }
                }
                if !relevant.isEmpty { continuation.yield(relevant) }
            }
            continuation.finish()
        }
        thread.start()
        await withTaskCancellationHandler {
            var iterator = batches.makeAsyncIterator()
            while let batch = await iterator.next() {
                await changed(batch.map { Array(Set($0)).sorted() })
            }
        } onCancel: {
            stop.set()
        }
    }
    #endif

    private func poll(_ changed: @Sendable ([String]?) async -> Void) async {
        var last = snapshot()
        while !Task.isCancelled {
            try? await Task.sleep(for: interval)
            var now = snapshot()
            guard now != last else { continue }
            // Wait for the writes to settle.
            while !Task.isCancelled {
                try? await Task.sleep(for: max(quiet, .milliseconds(100)))
                let again = snapshot()
                if again == now { break }
                now = again
            }
            last = now
            await changed(nil)
        }
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
}

/// Tells the inotify thread to end.
private final class StopFlag: Sendable {
    private let flag = Atomic<Bool>(false)
    var isSet: Bool { flag.load(ordering: .relaxed) }
    func set() { flag.store(true, ordering: .relaxed) }
}

/// The inotify handle moves to its thread once and is used only there.
private final class UncheckedBox<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
