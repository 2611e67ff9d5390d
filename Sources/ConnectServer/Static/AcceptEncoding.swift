/// Reads `Accept-Encoding` (RFC 9110 §12.5.3) for the one coding the server keeps ready.
enum AcceptEncoding {
    /// Whether the client accepts gzip: `gzip` (or `x-gzip`) with a non-zero q-value, or
    /// `*` with a non-zero q-value when gzip is not named on its own.
    static func acceptsGzip(_ header: String?) -> Bool {
        guard let header else { return false }
        var gzip: Bool?
        var wildcard: Bool?
        for element in HeaderList(header) {
            let (coding, acceptable) = parse(element)
            if coding.equalsLowercased("gzip") || coding.equalsLowercased("x-gzip") {
                gzip = acceptable && (gzip ?? true)
            } else if coding == "*" {
                wildcard = acceptable
            }
        }
        return gzip ?? wildcard ?? false
    }

    /// The coding's name, and whether its q-value is above zero.
    private static func parse(_ element: Substring) -> (coding: Substring, acceptable: Bool) {
        guard let semicolon = element.utf8.firstIndex(of: UInt8(ascii: ";")) else {
            return (element, true)
        }
        let coding = element[..<semicolon].trimmingOptionalWhitespace()
        var acceptable = true
        for parameter in element[element.index(after: semicolon)...].split(separator: ";") {
            let parameter = parameter.trimmingOptionalWhitespace()
            guard parameter.utf8.count >= 2, parameter.prefix(2).equalsLowercased("q=") else { continue }
            acceptable = !isZero(parameter.dropFirst(2).trimmingOptionalWhitespace())
        }
        return (coding, acceptable)
    }

    /// `0`, `0.`, `0.0`, `0.000`: the forms of a zero qvalue.
    private static func isZero(_ qvalue: Substring) -> Bool {
        var bytes = qvalue.utf8.makeIterator()
        guard bytes.next() == UInt8(ascii: "0") else { return false }
        guard let dot = bytes.next() else { return true }
        guard dot == UInt8(ascii: ".") else { return false }
        while let digit = bytes.next() { if digit != UInt8(ascii: "0") { return false } }
        return true
    }
}
