/// A problem a person must fix in `content/` or `templates/`, located by file and line:
/// `content/docs/guide.md:12: link to /api/nope/ does not resolve`.
public struct ContentProblem: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file, relative to the working directory, e.g. `content/docs/guide.md`.
    public var file: String
    /// 1-based; nil when the whole file is at fault.
    public var line: Int?
    public var message: String

    public init(file: String, line: Int? = nil, _ message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String {
        if let line { return "\(file):\(line): \(message)" }
        return "\(file): \(message)"
    }
}
