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

    /// The contents of a secret file, made by `create` on first use and written with mode
    /// 0600 in one step (`O_CREAT | O_EXCL`), so that it is never readable by others, not
    /// even for a moment, and two starts cannot write two different keys.
    func secret(named name: String, create: () -> Data) throws -> Data {
        let path = url.appendingPathComponent(name).path
        if let existing = FileManager.default.contents(atPath: path), !existing.isEmpty { return existing }
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard descriptor >= 0 else {
            if errno == EEXIST, let existing = FileManager.default.contents(atPath: path), !existing.isEmpty { return existing }
            throw SandboxSetupError("cannot create \(path): \(String(cString: strerror(errno)))")
        }
        let bytes = create()
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        fsync(descriptor)
        close(descriptor)
        guard written == bytes.count else { throw SandboxSetupError("cannot write \(path)") }
        return bytes
    }
}

/// A problem starting the sandbox that a person must fix.
public struct SandboxSetupError: Error, CustomStringConvertible, Sendable {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}
