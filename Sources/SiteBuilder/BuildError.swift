import ConnectAPI

/// A problem in the build's input; the same type the sandbox reports its files with.
public typealias BuildProblem = ContentProblem

/// Every problem a build found; the build stops before it writes anything.
public struct BuildFailure: Error, Sendable, CustomStringConvertible {
    public var problems: [BuildProblem]

    public init(_ problems: [BuildProblem]) {
        self.problems = problems
    }

    public var description: String {
        problems.map(\.description).joined(separator: "\n")
    }
}
