/// The elements of a comma-separated header value (`a, b;q=0.5, "c"`), trimmed of
/// optional whitespace, empty elements skipped; lazy, so parsing allocates nothing.
struct HeaderList: Sequence {
    let value: Substring

    init(_ value: String) { self.value = value[...] }

    struct Iterator: IteratorProtocol {
        var rest: Substring

        mutating func next() -> Substring? {
            while !rest.isEmpty {
                let element: Substring
                if let comma = rest.utf8.firstIndex(of: UInt8(ascii: ",")) {
                    element = rest[..<comma]
                    rest = rest[rest.index(after: comma)...]
                } else {
                    element = rest
                    rest = rest[rest.endIndex...]
                }
                let trimmed = element.trimmingOptionalWhitespace()
                if !trimmed.isEmpty { return trimmed }
            }
            return nil
        }
    }

    func makeIterator() -> Iterator { Iterator(rest: value) }
}

extension Substring {
    /// Drops spaces and tabs at both ends (RFC 9110's OWS).
    func trimmingOptionalWhitespace() -> Substring {
        var result = self
        while let first = result.utf8.first, first == 0x20 || first == 0x09 { result = result.dropFirst() }
        while let last = result.utf8.last, last == 0x20 || last == 0x09 { result = result.dropLast() }
        return result
    }

    /// ASCII case-insensitive comparison with a lowercase literal.
    func equalsLowercased(_ lowercase: StaticString) -> Bool {
        guard utf8.count == lowercase.utf8CodeUnitCount else { return false }
        return lowercase.withUTF8Buffer { expected in
            var index = 0
            for byte in utf8 {
                let folded = (byte >= 0x41 && byte <= 0x5A) ? byte | 0x20 : byte
                if folded != expected[index] { return false }
                index += 1
            }
            return true
        }
    }
}

extension Optional where Wrapped == String {
    /// A header's earlier value with one more line of it appended, as `HTTPFields` joins
    /// repeated lines: `a, b`.
    func joinedHeader(_ value: String) -> String {
        map { "\($0), \(value)" } ?? value
    }
}
