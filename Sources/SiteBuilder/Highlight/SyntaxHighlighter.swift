/// Syntax highlighting at build time: code becomes HTML with `<span class="tok-…">`
/// around each token, so no highlighter is shipped to the browser.
///
/// One small scanner serves every language; a `Grammar` says what its comments, strings
/// and keywords look like. Classes: `tok-k` keyword, `tok-s` string, `tok-n` number,
/// `tok-c` comment, `tok-l` literal (true, false, null), `tok-a` key (JSON, YAML),
/// `tok-v` variable (shell), `tok-f` flag (shell).
enum SyntaxHighlighter {
    /// The languages highlighted, by the names a fenced block may use.
    static func grammar(for language: String) -> Grammar? {
        switch language.lowercased() {
        case "json": .json
        case "bash", "sh", "shell", "console", "zsh": .shell
        case "python", "py": .python
        case "javascript", "js", "typescript", "ts": .javascript
        case "swift": .swift
        case "yaml", "yml": .yaml
        default: nil
        }
    }

    /// The code as HTML, escaped, with its tokens wrapped; plain escaped text for a
    /// language without a grammar.
    static func highlight(_ code: String, language: String) -> String {
        guard let grammar = grammar(for: language) else { return code.htmlEscaped }
        var scanner = Scanner(grammar: grammar, text: Array(code.unicodeScalars))
        return scanner.run()
    }
}

/// What a language's tokens look like.
struct Grammar: Sendable {
    var lineComments: [String] = []
    var blockComment: (open: String, close: String)?
    var quotes: Set<Character> = ["\"", "'"]
    /// Quotes whose strings may span lines (backticks, triple quotes).
    var tripleQuotes = false
    var keywords: Set<String> = []
    var literals: Set<String> = ["true", "false", "null"]
    /// A string or word followed by `:` is a key (JSON, YAML).
    var keysBeforeColon = false
    /// `$NAME` and `--flag` are marked (shell).
    var shellWords = false

    static let json = Grammar(quotes: ["\""], literals: ["true", "false", "null"], keysBeforeColon: true)
    static let yaml = Grammar(lineComments: ["#"], literals: ["true", "false", "null", "yes", "no", "~"], keysBeforeColon: true)
    static let shell = Grammar(lineComments: ["#"], keywords: ["if", "then", "else", "fi", "for", "do", "done", "in", "while", "case", "esac",
                                                                "export", "function", "return", "local", "echo", "set"],
                               literals: [], shellWords: true)
    static let python = Grammar(lineComments: ["#"], tripleQuotes: true,
                                keywords: ["def", "return", "import", "from", "as", "if", "elif", "else", "for", "in", "while", "with",
                                           "class", "try", "except", "finally", "raise", "not", "and", "or", "is", "lambda", "pass",
                                           "async", "await", "print"],
                                literals: ["True", "False", "None"])
    static let javascript = Grammar(lineComments: ["//"], blockComment: ("/*", "*/"), quotes: ["\"", "'", "`"],
                                    keywords: ["const", "let", "var", "function", "return", "if", "else", "for", "of", "in", "while",
                                               "new", "await", "async", "import", "from", "export", "try", "catch", "throw", "class",
                                               "typeof"],
                                    literals: ["true", "false", "null", "undefined"])
    static let swift = Grammar(lineComments: ["//"], blockComment: ("/*", "*/"), quotes: ["\""],
                               keywords: ["let", "var", "func", "return", "if", "else", "guard", "for", "in", "while", "import",
                                          "struct", "class", "enum", "case", "switch", "try", "await", "async", "throws", "do",
                                          "catch", "as", "self", "public", "private"],
                               literals: ["true", "false", "nil"])
}

/// One pass over the code, appending escaped text and spans.
private struct Scanner {
    let grammar: Grammar
    let text: [Unicode.Scalar]
    var index = 0
    var output = ""

    init(grammar: Grammar, text: [Unicode.Scalar]) {
        self.grammar = grammar
        self.text = text
    }

    mutating func run() -> String {
        while index < text.count {
            let scalar = text[index]
            if let comment = grammar.lineComments.first(where: { starts(with: $0) }), atCommentBoundary(comment) {
                let end = text[index...].firstIndex(of: "\n") ?? text.count
                emit("c", end)
            } else if let block = grammar.blockComment, starts(with: block.open) {
                let end = find(block.close, from: index + block.open.unicodeScalars.count).map { $0 + block.close.unicodeScalars.count } ?? text.count
                emit("c", end)
            } else if grammar.quotes.contains(Character(scalar)) {
                let end = stringEnd(from: index)
                emit(isKey(after: end) ? "a" : "s", end)
            } else if scalar.properties.numericType != nil || (scalar == "-" && nextIsDigit() && !previousIsWord()), !previousIsWord() {
                var end = index + 1
                while end < text.count, isWord(text[end]) || text[end] == "." { end += 1 }
                emit("n", end)
            } else if grammar.shellWords, scalar == "$" {
                var end = index + 1
                if end < text.count, text[end] == "{" { end = (text[end...].firstIndex(of: "}") ?? text.count - 1) + 1 }
                else { while end < text.count, isWord(text[end]) { end += 1 } }
                emit("v", end)
            } else if grammar.shellWords, scalar == "-", !previousIsWord(), index + 1 < text.count, text[index + 1] == "-" || isLetter(text[index + 1]) {
                var end = index + 1
                while end < text.count, isWord(text[end]) || text[end] == "-" { end += 1 }
                emit("f", end)
            } else if isLetter(scalar) || scalar == "_" {
                var end = index + 1
                while end < text.count, isWord(text[end]) || (grammar.keysBeforeColon && (text[end] == "-" || text[end] == ".")) { end += 1 }
                let word = String(String.UnicodeScalarView(text[index..<end]))
                if grammar.keysBeforeColon && isKey(after: end) { emit("a", end) }
                else if grammar.literals.contains(word) { emit("l", end) }
                else if grammar.keywords.contains(word) { emit("k", end) }
                else { plain(end) }
            } else {
                plain(index + 1)
            }
        }
        return output
    }

    // MARK: Tokens

    private mutating func emit(_ kind: String, _ end: Int) {
        output += "<span class=\"tok-\(kind)\">" + escaped(index, end) + "</span>"
        index = end
    }

    private mutating func plain(_ end: Int) {
        output += escaped(index, end)
        index = end
    }

    private func escaped(_ start: Int, _ end: Int) -> String {
        String(String.UnicodeScalarView(text[start..<min(end, text.count)])).htmlEscaped
    }

    /// The index after a string starting at `start`, escapes and triple quotes included.
    private func stringEnd(from start: Int) -> Int {
        let quote = text[start]
        if grammar.tripleQuotes, start + 2 < text.count, text[start + 1] == quote, text[start + 2] == quote {
            let close = String(repeating: Character(quote), count: 3)
            return find(close, from: start + 3).map { $0 + 3 } ?? text.count
        }
        var end = start + 1
        while end < text.count {
            // A backslash escapes the next character, except inside a shell's single quotes.
            if text[end] == "\\" && !(grammar.shellWords && quote == "'") { end += 2; continue }
            if text[end] == quote { return end + 1 }
            if text[end] == "\n" && quote != "`" && !grammar.shellWords { return end }
            end += 1
        }
        return text.count
    }

    private func isKey(after end: Int) -> Bool {
        guard grammar.keysBeforeColon else { return false }
        var next = end
        while next < text.count, text[next] == " " || text[next] == "\t" { next += 1 }
        guard next < text.count, text[next] == ":" else { return false }
        return next + 1 >= text.count || text[next + 1] == " " || text[next + 1] == "\n" || grammar.quotes == ["\""]
    }

    private func starts(with prefix: String) -> Bool {
        let scalars = Array(prefix.unicodeScalars)
        return index + scalars.count <= text.count && Array(text[index..<index + scalars.count]) == scalars
    }

    /// `#` starts a comment only at a line's start or after a space (not in `a#b` or a URL).
    private func atCommentBoundary(_ comment: String) -> Bool {
        comment != "#" || index == 0 || text[index - 1] == " " || text[index - 1] == "\n" || text[index - 1] == "\t"
    }

    private func find(_ needle: String, from start: Int) -> Int? {
        let scalars = Array(needle.unicodeScalars)
        var position = start
        while position + scalars.count <= text.count {
            if Array(text[position..<position + scalars.count]) == scalars { return position }
            position += 1
        }
        return nil
    }

    private func previousIsWord() -> Bool { index > 0 && (isWord(text[index - 1]) || text[index - 1] == ".") }
    private func nextIsDigit() -> Bool { index + 1 < text.count && text[index + 1].properties.numericType != nil }
    private func isLetter(_ scalar: Unicode.Scalar) -> Bool { scalar.properties.isAlphabetic }
    private func isWord(_ scalar: Unicode.Scalar) -> Bool { scalar.properties.isAlphabetic || scalar.properties.numericType != nil || scalar == "_" }
}
