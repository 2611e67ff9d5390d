import Foundation

/// The rule for a `user_id` (the contract's decision): kept whole, byte for byte, or refused.
/// A control character would let two ids look alike in a log or be cut short by a C
/// string; past 256 characters an id is no one's. Both App host endpoints use this.
enum EndUserID {
    static let maximumLength = 256

    /// Why an id is refused, as the 400's `details.user_id`; nil when it is kept.
    static func problem(_ id: String) -> String? {
        if id.trimmingCharacters(in: .whitespaces).isEmpty { return "cannot be blank" }
        if id.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            return "must not contain control characters (U+0000 to U+001F, U+007F)"
        }
        if id.count > maximumLength { return "must be at most \(maximumLength) characters" }
        return nil
    }
}
