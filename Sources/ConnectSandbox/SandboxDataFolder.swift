import Foundation

/// The sandbox's data folder (`.sandbox/` by default): its SQLite file and its two keys.
/// The folder is private to its owner (0700) and each key file is 0600.
public struct SandboxDataFolder: Sendable {
    public let url: URL

    public init(path: String) throws {
        url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    }

    public var databasePath: String { url.appendingPathComponent("sandbox.sqlite").path }

    /// The contents of a secret file, made by `create` on first use.
    ///
    /// The new file is written whole, mode 0600, under a temporary name, then linked into
    /// place, which fails if another start got there first: so the key is never readable by
    /// others, never seen half-written, and two starts at once agree on one key.
    func secret(named name: String, create: () -> Data) throws -> Data {
        let path = url.appendingPathComponent(name).path
        if let existing = FileManager.default.contents(atPath: path), !existing.isEmpty { return existing }
        let staging = url.appendingPathComponent(".\(name).\(getpid()).\(UInt64.random(in: 0...UInt64.max))").path
        let descriptor = open(staging, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard descriptor >= 0 else { throw SandboxSetupError("cannot create a file in \(url.path): \(String(cString: strerror(errno)))") }
        defer { unlink(staging) }
        let bytes = create()
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        fsync(descriptor)
        close(descriptor)
        guard written == bytes.count else { throw SandboxSetupError("cannot write \(path)") }
        if link(staging, path) == 0 { return bytes }
        guard errno == EEXIST, let existing = FileManager.default.contents(atPath: path), !existing.isEmpty else {
            throw SandboxSetupError("cannot create \(path): \(String(cString: strerror(errno)))")
        }
        return existing
    }
}

/// A problem starting the sandbox that a person must fix.
public struct SandboxSetupError: Error, CustomStringConvertible, Sendable {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}
