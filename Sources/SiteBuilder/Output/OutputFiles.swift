import Foundation
import Synchronization

/// Writing and removing output files with plain system calls.
///
/// Foundation's `Data.write(to:)` made seven system calls a file, an `fsync` among them
/// (strace of a 10,000-page build: 30,015 fsyncs), which on a disk is a journal commit per
/// file. A build needs none of them: the output appears all at once by a folder swap or a
/// rename, and a crash before that leaves the previous site in place.
enum OutputFiles {
    /// Creates or truncates `path` and writes `data` to it: open, write, close.
    static func write(_ data: Data, to path: String) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw failure("cannot create", path) }
        defer { close(descriptor) }
        try data.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = Glibc.write(descriptor, raw.baseAddress! + offset, raw.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    throw failure("cannot write", path)
                }
                offset += written
            }
        }
    }

    /// Hard-links `names` from `root` into `folder`: all of them, or none (false).
    static func link(_ names: [String], from root: String, into folder: String) -> Bool {
        for (index, name) in names.enumerated() where Foundation.link(root + "/" + name, folder + "/" + name) != 0 {
            for done in names[..<index] { unlink(folder + "/" + done) }
            return false
        }
        return true
    }

    /// Makes the folders that `files` (relative paths) go in, under `root`: each once, with
    /// mkdir(2), a level at a time and each level in parallel (FileManager's
    /// `createDirectory` stat-ed every parent of each of 10,000 folders, one after another).
    static func makeFolders(for files: [String], in root: String) throws {
        var levels: [[String]] = []
        var seen = Set<Substring>()
        for file in files {
            var path = file[...]
            while let slash = path.lastIndex(of: "/") {
                path = path[..<slash]
                guard seen.insert(path).inserted else { break }
                let depth = path.utf8.reduce(0) { $0 + ($1 == UInt8(ascii: "/") ? 1 : 0) }
                while levels.count <= depth { levels.append([]) }
                levels[depth].append(String(path))
            }
        }
        for level in levels {
            let failed = Atomic<Int32>(0)
            DispatchQueue.concurrentPerform(iterations: level.count) { index in
                if mkdir(root + "/" + level[index], 0o755) != 0, errno != EEXIST { failed.store(errno, ordering: .relaxed) }
            }
            let code = failed.load(ordering: .relaxed)
            if code != 0 {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "cannot make folders in \(root): \(String(cString: strerror(code)))"])
            }
        }
    }

    /// Removes a folder and everything in it, its subfolders in parallel, each entry
    /// unlinked relative to its folder's descriptor (no path lookup from the root).
    static func removeTree(_ path: String) {
        var folders: [String] = []
        func collect(_ folder: String) {
            folders.append(folder)
            guard let directory = opendir(folder) else { return }
            defer { closedir(directory) }
            while let entry = readdir(directory) {
                let name = entry.pointee.name
                if name != ".", name != "..", entry.pointee.d_type == UInt8(DT_DIR) { collect(folder + "/" + name) }
            }
        }
        collect(path)
        let all = folders
        // Files first, every folder in parallel; then the folders, deepest first.
        DispatchQueue.concurrentPerform(iterations: folders.count) { index in
            let folder = all[index]
            guard let directory = opendir(folder) else { return }
            defer { closedir(directory) }
            let descriptor = dirfd(directory)
            var names: [String] = []
            while let entry = readdir(directory) {
                guard entry.pointee.d_type != UInt8(DT_DIR) else { continue }
                names.append(entry.pointee.name)
            }
            for name in names { unlinkat(descriptor, name, 0) }
        }
        for folder in folders.reversed() { rmdir(folder) }
        // A file system without entry types in readdir leaves something: the slow way then.
        if access(path, F_OK) == 0 { try? FileManager.default.removeItem(atPath: path) }
    }

    private static func failure(_ what: String, _ path: String) -> CocoaError {
        CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "\(what) \(path): \(String(cString: strerror(errno)))"])
    }
}
