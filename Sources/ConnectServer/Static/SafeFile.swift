#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Opens files under a root without ever following a symlink or leaving the root.
enum SafeFile {
    enum Failure: Error, CustomStringConvertible {
        case unsafeName
        case notRegularFile
        case symlink
        case sizeMismatch(expected: Int, actual: Int)
        case system(String, Int32)

        var description: String {
            switch self {
            case .unsafeName: "not a plain relative path"
            case .notRegularFile: "not a regular file"
            case .symlink: "a symlink, which is never served"
            case .sizeMismatch(let expected, let actual): "is \(actual) bytes, the manifest says \(expected)"
            case .system(let call, let code): "\(call) failed: \(String(cString: strerror(code)))"
            }
        }
    }

    /// The folder's absolute path with symlinks resolved (the folder itself may be one,
    /// as in a `public -> releases/42` deploy), or nil when it is not a folder.
    static func resolve(_ directory: String) -> String? {
        guard let resolved = realpath(directory, nil) else { return nil }
        defer { free(resolved) }
        var info = stat()
        let path = String(cString: resolved)
        guard stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else { return nil }
        return path
    }

    /// Opens `relative`, which must be a regular file of `expectedSize` bytes reached
    /// through real folders only, and keeps it open.
    static func openKept(root: String, relative: String, expectedSize: Int) throws -> OpenFile {
        let fd = try descriptor(root: root, relative: relative)
        do {
            _ = try size(fd, expected: expectedSize)
        } catch {
            close(fd)
            throw error
        }
        return OpenFile(descriptor: fd)
    }

    /// Reads the whole file, with the same checks as ``openKept(root:relative:expectedSize:)``.
    static func contents(root: String, relative: String, expectedSize: Int?) throws -> [UInt8] {
        let fd = try descriptor(root: root, relative: relative)
        defer { close(fd) }
        let count = try size(fd, expected: expectedSize)
        var bytes = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let got = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress! + done, count - done) }
            if got < 0 { if errno == EINTR { continue }; throw Failure.system("read", errno) }
            if got == 0 { throw Failure.sizeMismatch(expected: count, actual: done) }
            done += got
        }
        return bytes
    }

    private static func descriptor(root: String, relative: String) throws -> Int32 {
        let segments = relative.split(separator: "/", omittingEmptySubsequences: false)
        guard !relative.isEmpty, !segments.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." }),
              !relative.utf8.contains(0) else { throw Failure.unsafeName }
        // Each folder on the way must be a real folder, not a link pointing elsewhere.
        var path = root
        for segment in segments.dropLast() {
            path += "/" + segment
            var info = stat()
            guard lstat(path, &info) == 0 else { throw Failure.system("lstat \(path)", errno) }
            guard info.st_mode & S_IFMT == S_IFDIR else { throw Failure.symlink }
        }
        let fd = open(root + "/" + relative, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else {
            throw errno == ELOOP ? Failure.symlink : Failure.system("open", errno)
        }
        return fd
    }

    private static func size(_ fd: Int32, expected: Int?) throws -> Int {
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw Failure.system("fstat", errno) }
        guard info.st_mode & S_IFMT == S_IFREG else { throw Failure.notRegularFile }
        let actual = Int(info.st_size)
        if let expected, expected != actual { throw Failure.sizeMismatch(expected: expected, actual: actual) }
        return actual
    }
}
