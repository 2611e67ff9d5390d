/// JSON string literals written by hand, where an encoder would lose the key order or cost
/// too much (the docs' ordered JSON, the search index, the JSON log lines).
public enum JSONText {
    /// `text` as a JSON string: quotes, backslashes and every control character escaped
    /// (and U+2028, U+2029, which end a line in older JavaScript), so that no value can end
    /// a line or the string early. Other characters are kept, as JavaScript writes them.
    public static func quoted(_ text: String) -> String {
        var result = "\""
        result.reserveCapacity(text.utf8.count + 2)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case "\u{2028}": result += "\\u2028"
            case "\u{2029}": result += "\\u2029"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                let hex = String(scalar.value, radix: 16)
                result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}
