/// The query as it goes upstream: RFC 3986's query characters pass as they are, and every
/// other byte (a raw `"`, `<`, a space, a non-ASCII byte, a `%` not followed by two hex
/// digits) is percent-encoded, so that what a browser would have encoded anyway reaches
/// the upstream encoded, and nothing else changes.
enum QueryForwarding {
    static func encode(_ query: Substring) -> String {
        let bytes = Array(query.utf8)
        guard bytes.indices.contains(where: { !isAllowed(bytes, at: $0) }) else { return String(query) }
        var result = [UInt8]()
        result.reserveCapacity(bytes.count + 16)
        for index in bytes.indices {
            let byte = bytes[index]
            if isAllowed(bytes, at: index) {
                result.append(byte)
            } else {
                let digits = Array("0123456789ABCDEF".utf8)
                result.append(contentsOf: [UInt8(ascii: "%"), digits[Int(byte >> 4)], digits[Int(byte & 0xF)]])
            }
        }
        return String(decoding: result, as: UTF8.self)
    }

    private static func isAllowed(_ bytes: [UInt8], at index: Int) -> Bool {
        let byte = bytes[index]
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        case UInt8(ascii: "%"):
            return index + 2 < bytes.count + 0 && isHex(bytes[index + 1]) && isHex(bytes[index + 2])
        default:
            // unreserved, sub-delims, ":", "@", "/", "?"
            return "-._~!$&'()*+,;=:@/?".utf8.contains(byte)
        }
    }

    private static func isHex(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "f"), UInt8(ascii: "A")...UInt8(ascii: "F"): true
        default: false
        }
    }
}
