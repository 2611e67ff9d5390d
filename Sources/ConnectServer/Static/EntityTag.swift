/// Entity tags and their comparisons (RFC 9110 §8.8.3).
enum EntityTag {
    /// The strong tag of a file: 128 bits of its SHA-256, quoted. Enough to tell two
    /// versions apart with certainty, and half the bytes of the whole hash on every answer.
    static func strong(sha256: String) -> String {
        "\"\(sha256.prefix(32))\""
    }

    /// Whether an `If-None-Match` value matches `etag` (a quoted strong tag): `*`, or any
    /// listed tag equal to it under the weak comparison (a `W/` prefix is ignored).
    static func noneMatchHits(_ header: String, etag: String) -> Bool {
        for element in HeaderList(header) {
            if element == "*" { return true }
            let opaque = element.hasPrefix("W/") ? element.dropFirst(2) : element
            if opaque == etag[...] { return true }
        }
        return false
    }

    /// Whether an `If-Range` value lets a range request through: only a strong tag equal
    /// to the current one. A date never does, since the server sends no `Last-Modified`.
    static func ifRangeHolds(_ header: String, etag: String) -> Bool {
        header.trimmingOptionalWhitespace() == etag[...]
    }
}

private extension String {
    func trimmingOptionalWhitespace() -> Substring { self[...].trimmingOptionalWhitespace() }
}
