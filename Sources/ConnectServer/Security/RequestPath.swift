/// The path of a request target, percent-decoded exactly once and checked for the tricks
/// that smuggle a second meaning past a file server.
///
/// The server never maps a path onto the file system, so a rejected path could not reach a
/// file anyway; rejecting early keeps the rule visible and cheap: a NUL, a backslash, an
/// encoded slash, a control character, invalid or overlong UTF-8, or a `.`/`..` segment is
/// a ``Verdict/badRequest``, and a segment that starts with a dot (a dotfile) is
/// ``Verdict/notFound``.
public enum RequestPath {
    /// What a raw request path means.
    public enum Verdict: Sendable, Equatable {
        /// The decoded path, safe to look up.
        case path(String)
        /// A malformed or smuggling path: answer 400.
        case badRequest
        /// A well-formed path that can never name a servable file: answer 404.
        case notFound
    }

    /// Splits a request target into its path and query (the query without its `?`).
    public static func split(target: String) -> (path: Substring, query: Substring?) {
        guard let mark = target.utf8.firstIndex(of: UInt8(ascii: "?")) else { return (target[...], nil) }
        return (target[..<mark], target[target.index(after: mark)...])
    }

    /// Decodes a raw path (without its query) once and judges it.
    /// - Parameter raw: The path exactly as it arrived, e.g. `/docs/a%20b/`.
    public static func decode(_ raw: Substring) -> Verdict {
        let utf8 = raw.utf8
        guard utf8.first == UInt8(ascii: "/") else { return .badRequest }
        // The common case has no escape: judge the bytes in place and copy once.
        if !utf8.contains(UInt8(ascii: "%")) {
            for byte in utf8 where isForbidden(byte) { return .badRequest }
            return judgeSegments(String(raw))
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(utf8.count)
        var index = utf8.startIndex
        while index != utf8.endIndex {
            var byte = utf8[index]
            if byte == UInt8(ascii: "%") {
                let high = utf8.index(after: index)
                guard high != utf8.endIndex else { return .badRequest }
                let low = utf8.index(after: high)
                guard low != utf8.endIndex, let h = hexValue(utf8[high]), let l = hexValue(utf8[low]) else {
                    return .badRequest
                }
                byte = h << 4 | l
                // An encoded slash would let one segment pose as two.
                if byte == UInt8(ascii: "/") { return .badRequest }
                index = utf8.index(after: low)
            } else {
                index = utf8.index(after: index)
            }
            if isForbidden(byte) { return .badRequest }
            bytes.append(byte)
        }
        // Rejects overlong forms such as %c0%ae ("." in 2 bytes) and lone surrogates.
        guard let decoded = String(validating: bytes, as: UTF8.self) else { return .badRequest }
        return judgeSegments(decoded)
    }
}

private extension RequestPath {
    static func isForbidden(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == 0x7F || byte == UInt8(ascii: "\\")
    }

    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// `.` and `..` segments are refused outright; other dot-led segments are dotfiles.
    static func judgeSegments(_ path: String) -> Verdict {
        var sawDotfile = false
        var segmentStart = true
        var dots = 0
        var segmentLength = 0
        for byte in path.utf8 {
            if byte == UInt8(ascii: "/") {
                if segmentLength > 0 && dots == segmentLength && dots <= 2 { return .badRequest }
                segmentStart = true
                dots = 0
                segmentLength = 0
                continue
            }
            if byte == UInt8(ascii: ".") {
                if segmentStart { sawDotfile = true }
                if dots == segmentLength { dots += 1 }
            }
            segmentStart = false
            segmentLength += 1
        }
        if segmentLength > 0 && dots == segmentLength && dots <= 2 { return .badRequest }
        return sawDotfile ? .notFound : .path(path)
    }
}
