/// Removes secrets from a query string before it is logged: the value of any parameter
/// whose name ends in `token` (`token`, `access_token`, `connect_token`, in any case).
public enum QueryRedaction {
    public static let placeholder = "REDACTED"

    /// - Parameter query: The raw query, without its `?`.
    public static func redact(_ query: Substring) -> String {
        var result = ""
        result.reserveCapacity(query.utf8.count)
        var first = true
        for pair in query.split(separator: "&", omittingEmptySubsequences: false) {
            if !first { result += "&" }
            first = false
            guard let equals = pair.firstIndex(of: "=") else {
                result += pair
                continue
            }
            let name = pair[..<equals]
            if isSecret(name) {
                result += name + "=" + placeholder
            } else {
                result += pair
            }
        }
        return result
    }

    private static func isSecret(_ name: Substring) -> Bool {
        // A name may arrive percent-encoded (`%74oken`): judge its decoded form.
        let decoded = name.removingPercentEncodingLeniently().lowercased()
        return decoded.hasSuffix("token")
    }
}

private extension Substring {
    func removingPercentEncodingLeniently() -> String {
        guard utf8.contains(UInt8(ascii: "%")) || utf8.contains(UInt8(ascii: "+")) else { return String(self) }
        var bytes: [UInt8] = []
        var iterator = utf8.makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "%"), let high = iterator.next(), let low = iterator.next(),
               let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16) {
                bytes.append(value)
            } else if byte == UInt8(ascii: "+") {
                bytes.append(UInt8(ascii: " "))
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
