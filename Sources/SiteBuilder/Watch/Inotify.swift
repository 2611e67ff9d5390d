#if os(Linux)
import Glibc

/// Linux's inotify over a tree of folders: told of each change as it happens, where
/// polling saw it up to an interval late after stat-ing every file (about 100 ms on a
/// 10,000-page site).
final class Inotify {
    private let descriptor: Int32
    /// Watch descriptor to the folder it watches.
    private var folders: [Int32: String] = [:]
    private static let mask = UInt32(IN_CLOSE_WRITE | IN_MODIFY | IN_MOVED_TO | IN_MOVED_FROM | IN_CREATE | IN_DELETE)

    /// Nil when the kernel refuses (no inotify, or out of watches): the caller polls instead.
    init?(folders roots: [String]) {
        descriptor = inotify_init1(Int32(IN_CLOEXEC))
        guard descriptor >= 0 else { return nil }
        // On failure deinit closes the descriptor (it runs for an initialized class).
        for root in roots where !watchTree(root) { return nil }
    }

    deinit { close(descriptor) }

    /// Waits up to `timeout` milliseconds (-1: forever) for changes.
    /// - Returns: The changed paths, empty when the time passed without any, nil when the
    ///   kernel's queue overflowed and changes were lost (build everything then).
    func changes(timeout: Int32) -> [String]? {
        var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        guard poll(&poller, 1, timeout) > 0 else { return [] }
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
        guard count > 0 else { return [] }
        var paths: [String] = []
        var offset = 0
        // struct inotify_event { int wd; uint32_t mask; uint32_t cookie; uint32_t len; char name[len]; }
        while offset + 16 <= count {
            let (watch, mask, length) = buffer.withUnsafeBytes { raw in
                (raw.load(fromByteOffset: offset, as: Int32.self), raw.load(fromByteOffset: offset + 4, as: UInt32.self),
                 Int(raw.load(fromByteOffset: offset + 12, as: UInt32.self)))
            }
            let nameBytes = buffer[(offset + 16)..<(offset + 16 + length)].prefix { $0 != 0 }
            offset += 16 + length
            if mask & UInt32(IN_Q_OVERFLOW) != 0 { return nil }
            guard let folder = folders[watch] else { continue }
            let path = nameBytes.isEmpty ? folder : folder + "/" + String(decoding: nameBytes, as: UTF8.self)
            if mask & UInt32(IN_ISDIR) != 0, mask & UInt32(IN_CREATE | IN_MOVED_TO) != 0 { _ = watchTree(path) }
            paths.append(path)
        }
        return paths
    }

    /// Watches a folder and every folder under it (dotted ones excepted, as the build skips them).
    private func watchTree(_ path: String) -> Bool {
        let watch = inotify_add_watch(descriptor, path, Self.mask)
        guard watch >= 0 else { return false }
        folders[watch] = path
        guard let directory = opendir(path) else { return true }
        defer { closedir(directory) }
        while let entry = readdir(directory) {
            let name = entry.pointee.name
            guard !name.hasPrefix("."), Int32(entry.pointee.d_type) == Int32(DT_DIR) else { continue }
            guard watchTree(path + "/" + name) else { return false }
        }
        return true
    }
}
#endif
