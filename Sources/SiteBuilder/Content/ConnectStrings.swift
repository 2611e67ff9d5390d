import ConnectAPI
import Foundation
import Yams

/// The hosted connect page's words, one file per language in `content/connect/strings/`.
/// English is the reference: every other language has exactly its keys, or the build fails.
struct ConnectStrings: Sendable {
    /// Language code to key to text, English first, then by code.
    let languages: [(code: String, strings: [String: String])]

    static let reference = "en"

    var english: [String: String] { languages.first { $0.code == Self.reference }?.strings ?? [:] }

    static func load(from folder: URL, shownAs display: String) throws(BuildFailure) -> ConnectStrings {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasSuffix(".yaml") }.sorted()
        var problems: [BuildProblem] = []
        var loaded: [(String, [String: String], Node)] = []
        for name in names {
            let code = String(name.dropLast(".yaml".count))
            let file = "\(display)/\(name)"
            guard code.count >= 2, code.count <= 8, code.allSatisfy({ $0.isASCII && ($0.isLetter || $0 == "-") }) else {
                problems.append(BuildProblem(file: file, "is not named after a language code such as de.yaml or pt-BR.yaml"))
                continue
            }
            do {
                let text = (try? String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)) ?? ""
                let strings = try YAMLFile.decode([String: String].self, from: text, shownAs: file)
                loaded.append((code, strings, try YAMLFile.compose(text, shownAs: file)))
            } catch {
                problems.append(error)
            }
        }
        guard let reference = loaded.first(where: { $0.0 == Self.reference }) else {
            throw BuildFailure(problems + [BuildProblem(file: "\(display)/\(Self.reference).yaml", "is missing: the connect page's English words are the reference")])
        }
        for (code, strings, node) in loaded where code != Self.reference {
            let file = "\(display)/\(code).yaml"
            for key in reference.1.keys.sorted() where strings[key] == nil {
                problems.append(BuildProblem(file: file, "lacks the key `\(key)` that \(Self.reference).yaml has"))
            }
            for key in strings.keys.sorted() where reference.1[key] == nil {
                problems.append(BuildProblem(file: file, line: node[key]?.mark?.line ?? node.mapping?.keys.first { $0.string == key }?.mark?.line,
                                             "has the key `\(key)`, which \(Self.reference).yaml does not"))
            }
        }
        guard problems.isEmpty else { throw BuildFailure(problems) }
        let sorted = loaded.sorted { ($0.0 == Self.reference ? 0 : 1, $0.0) < ($1.0 == Self.reference ? 0 : 1, $1.0) }
        return ConnectStrings(languages: sorted.map { ($0.0, $0.1) })
    }
}
