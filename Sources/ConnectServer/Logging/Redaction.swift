import Foundation

/// Removes secrets from what the server writes to its logs and banners, in one place:
/// - the value of every query parameter whose name ends in `token`, in any case, whatever
///   separates the parameters (`&` or `;`) and however the name is spelt (`%74oken`,
///   `token+`, `token%5B%5D`, `access_token`);
/// - a raw fragment in a request target (non-browser clients send `#token=` as is);
/// - the user and password of a URL (`--upstream http://user:secret@host`).
///
/// `Authorization` never reaches a log line: the access log writes no header at all.
public enum Redaction {
    public static let placeholder = "REDACTED"

    /// The request target as the access log shows it.
    /// - Parameters:
    ///   - path: The raw path, without the query.
    ///   - query: The raw query, without its `?`.
    public static func target(path: Substring, query: Substring?) -> String {
        if let hash = path.utf8.firstIndex(of: UInt8(ascii: "#")) {
            return String(path[..<hash]) + "#" + placeholder
        }
        guard let query else { return String(path) }
        return String(path) + "?" + self.query(query)
    }

    /// A raw query with every secret value replaced.
    public static func query(_ query: Substring) -> String {
        var fragment: Substring?
        var query = query
        if let hash = query.utf8.firstIndex(of: UInt8(ascii: "#")) {
            fragment = query[hash...]
            query = query[..<hash]
        }
        var result = ""
        result.reserveCapacity(query.utf8.count)
        var rest = query
        while true {
            let separator = rest.utf8.firstIndex { $0 == UInt8(ascii: "&") || $0 == UInt8(ascii: ";") }
            let pair = separator.map { rest[..<$0] } ?? rest
            if let equals = pair.utf8.firstIndex(of: UInt8(ascii: "=")), isSecret(pair[..<equals]) {
                result += pair[..<equals] + "=" + placeholder
            } else {
                result += pair
            }
            guard let separator else { break }
            result.append(Character(Unicode.Scalar(rest.utf8[separator])))
            rest = rest[rest.index(after: separator)...]
        }
        if fragment != nil { result += "#" + placeholder }
        return result
    }

    /// `scheme://user:secret@host/path` → `scheme://host/path`.
    public static func url(_ url: String?) -> String? {
        guard let url else { return nil }
        guard var components = URLComponents(string: url), components.user != nil || components.password != nil else {
            // Not parsable as a URL: drop anything up to an `@` after the scheme all the same.
            if let scheme = url.range(of: "://"), let at = url[scheme.upperBound...].firstIndex(of: "@") {
                return String(url[..<scheme.upperBound]) + url[url.index(after: at)...]
            }
            return url
        }
        components.user = nil
        components.password = nil
        return components.string
    }

    /// A name is secret when its decoded letters and digits end in `token`.
    static func isSecret(_ name: Substring) -> Bool {
        var letters: [UInt8] = []
        letters.reserveCapacity(name.utf8.count)
        var iterator = name.utf8.makeIterator()
        while let byte = iterator.next() {
            var value = byte
            if byte == UInt8(ascii: "%") {
                guard let high = iterator.next(), let low = iterator.next(),
                      let decoded = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16) else { continue }
                value = decoded
            }
            switch value {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"): letters.append(value)
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): letters.append(value | 0x20)
            default: continue
            }
        }
        return letters.count >= 5 && letters.suffix(5).elementsEqual("token".utf8)
    }
}
