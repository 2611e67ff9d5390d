/// GitHub-style heading ids: lower case, letters, digits, `-` and `_` kept, spaces to `-`,
/// everything else dropped; a repeated slug gets `-1`, `-2`, ... in document order.
struct HeadingSlugger {
    private var seen: [String: Int] = [:]

    mutating func slug(for text: String) -> String {
        let base = Self.slug(text)
        let count = seen[base, default: 0]
        seen[base] = count + 1
        return count == 0 ? base : "\(base)-\(count)"
    }

    static func slug(_ text: String) -> String {
        var result = ""
        for character in text.lowercased() {
            if character.isLetter || character.isNumber || character == "-" || character == "_" {
                result.append(character)
            } else if character == " " {
                result.append("-")
            }
        }
        return result.isEmpty ? "section" : result
    }
}
