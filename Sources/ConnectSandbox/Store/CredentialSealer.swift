import Crypto
import Foundation

/// Encrypts submitted credential values at rest with AES-GCM. The key is made at first
/// start and kept in the data folder (0600); each sealed value is bound to its App, user
/// and requirement, so a row copied onto another cannot be opened there.
struct CredentialSealer: Sendable {
    private let key: SymmetricKey

    init(key: SymmetricKey) {
        self.key = key
    }

    static func load(from folder: SandboxDataFolder) throws -> CredentialSealer {
        let bytes = try folder.secret(named: "credentials.key") {
            SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }
        }
        guard bytes.count == 32 else { throw SandboxSetupError("\(folder.url.path)/credentials.key is not a 256-bit key; move it away to make a new one") }
        return CredentialSealer(key: SymmetricKey(data: bytes))
    }

    func seal(_ plaintext: Data, appID: String, userID: String, requirementID: String) throws -> Data {
        let box = try AES.GCM.seal(plaintext, using: key, authenticating: Self.binding(appID, userID, requirementID))
        return box.combined!
    }

    func open(_ sealed: Data, appID: String, userID: String, requirementID: String) throws -> Data {
        try AES.GCM.open(AES.GCM.SealedBox(combined: sealed), using: key, authenticating: Self.binding(appID, userID, requirementID))
    }

    private static func binding(_ parts: String...) -> Data {
        Data(parts.joined(separator: "\u{0}").utf8)
    }
}
