/// A `Range: bytes=...` header judged against a file's size (RFC 9110 §14).
enum ByteRange: Equatable {
    /// Serve the whole file with 200: no header, an invalid one, another unit, or
    /// several ranges (the server sends no multipart bodies).
    case whole
    /// Serve these bytes with 206.
    case partial(ClosedRange<Int>)
    /// Answer 416 with `Content-Range: bytes */size`.
    case unsatisfiable

    /// - Parameters:
    ///   - header: The `Range` value, if any.
    ///   - size: The size of the selected representation.
    init(header: String?, size: Int) {
        guard let header else { self = .whole; return }
        var value = header[...].trimmingOptionalWhitespace()
        guard value.utf8.count > 6, value.prefix(6).equalsLowercased("bytes=") else { self = .whole; return }
        value = value.dropFirst(6)
        var specs = HeaderList.Iterator(rest: value)
        guard let spec = specs.next() else { self = .whole; return }
        guard specs.next() == nil else { self = .whole; return }
        self = Self.judge(spec, size: size)
    }

    private static func judge(_ spec: Substring, size: Int) -> ByteRange {
        guard let dash = spec.utf8.firstIndex(of: UInt8(ascii: "-")) else { return .whole }
        let first = spec[..<dash]
        let last = spec[spec.index(after: dash)...]
        if first.isEmpty {
            // bytes=-n: the last n bytes.
            guard let count = number(last) else { return .whole }
            guard count > 0, size > 0 else { return .unsatisfiable }
            return .partial(max(0, size - count)...(size - 1))
        }
        guard let start = number(first) else { return .whole }
        if last.isEmpty {
            guard start < size else { return .unsatisfiable }
            return .partial(start...(size - 1))
        }
        guard let end = number(last), start <= end else { return .whole }
        guard start < size else { return .unsatisfiable }
        return .partial(start...min(end, size - 1))
    }

    /// Decimal digits only; saturates instead of overflowing, since any huge number
    /// simply lies past the end.
    private static func number(_ text: Substring) -> Int? {
        guard !text.isEmpty else { return nil }
        var value = 0
        for byte in text.utf8 {
            guard byte >= 0x30, byte <= 0x39 else { return nil }
            let (times, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times.addingReportingOverflow(Int(byte - 0x30))
            value = (overflow1 || overflow2) ? Int.max / 2 : sum
        }
        return value
    }
}
