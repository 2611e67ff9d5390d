import Crypto
import Foundation

enum Digest {
    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// Lowercase hex SHA-256.
    static func sha256(_ data: Data) -> String {
        var hex: [UInt8] = []
        hex.reserveCapacity(64)
        for byte in SHA256.hash(data: data) {
            hex.append(hexDigits[Int(byte >> 4)])
            hex.append(hexDigits[Int(byte & 0x0f)])
        }
        return String(decoding: hex, as: UTF8.self)
    }

    /// Base64 SHA-256, as a Content-Security-Policy hash source carries it.
    static func sha256Base64(_ data: Data) -> String {
        Data(SHA256.hash(data: data)).base64EncodedString()
    }
}
