import ConnectAPI
import Foundation

/// The connection-type catalog's words in the connect page's other languages, one file per
/// language in `content/connect/catalog/`. English is `connection-types.yaml` itself; every
/// other language names each type and each field's label and help, or the build fails.
/// Texts an App wrote (requirement titles and descriptions) are not here: they stay as the
/// API sends them.
struct ConnectCatalogWords: Sendable {
    struct TypeWords: Codable, Sendable, Equatable {
        var name: String
        var fields: [String: FieldWords]
    }

    struct FieldWords: Codable, Sendable, Equatable {
        var label: String
        var help: String
    }

    /// Language code to connection type to its words.
    let languages: [String: [String: TypeWords]]

    /// The English words, from the catalog itself.
    static func english(_ catalog: ConnectionTypeCatalog) -> [String: TypeWords] {
        Dictionary(catalog.types.map { type in
            (type.type, TypeWords(name: type.name, fields: Dictionary((type.fields ?? []).map { ($0.name, FieldWords(label: $0.label, help: $0.help ?? "")) },
                                                                     uniquingKeysWith: { first, _ in first })))
        }, uniquingKeysWith: { first, _ in first })
    }

    /// - Parameter codes: The page's languages other than English: each needs a file.
    static func load(from folder: URL, shownAs display: String, catalog: ConnectionTypeCatalog,
                     codes: [String]) throws(BuildFailure) -> ConnectCatalogWords {
        var problems: [BuildProblem] = []
        var languages: [String: [String: TypeWords]] = [:]
        let present = Set(((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
            .filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(".yaml".count)) })
        for code in present.subtracting(codes).sorted() {
            problems.append(BuildProblem(file: "\(display)/\(code).yaml", "is for a language the page does not have: add content/connect/strings/\(code).yaml or remove this file"))
        }
        for code in codes {
            let file = "\(display)/\(code).yaml"
            guard present.contains(code) else {
                problems.append(BuildProblem(file: file, "is missing: the page speaks this language, so the credential forms need its words"))
                continue
            }
            do {
                let words = try YAMLFile.decode([String: TypeWords].self, at: folder.appendingPathComponent("\(code).yaml"), shownAs: file)
                problems += Self.mismatches(words, catalog: catalog, file: file)
                languages[code] = words
            } catch {
                problems.append(error)
            }
        }
        guard problems.isEmpty else { throw BuildFailure(problems) }
        return ConnectCatalogWords(languages: languages)
    }

    /// Every type and field of the catalog, and nothing else, with non-empty words.
    static func mismatches(_ words: [String: TypeWords], catalog: ConnectionTypeCatalog, file: String) -> [BuildProblem] {
        var problems: [BuildProblem] = []
        let known = Set(catalog.types.map(\.type))
        for type in catalog.types {
            guard let entry = words[type.type] else {
                problems.append(BuildProblem(file: file, "lacks `\(type.type)`, which connection-types.yaml has"))
                continue
            }
            if entry.name.isEmpty { problems.append(BuildProblem(file: file, "`\(type.type).name` is empty")) }
            let fields = Set((type.fields ?? []).map(\.name))
            for field in (type.fields ?? []).map(\.name) {
                guard let text = entry.fields[field] else {
                    problems.append(BuildProblem(file: file, "lacks `\(type.type).fields.\(field)`, which connection-types.yaml has"))
                    continue
                }
                if text.label.isEmpty || text.help.isEmpty {
                    problems.append(BuildProblem(file: file, "`\(type.type).fields.\(field)` needs both a label and a help text"))
                }
            }
            for extra in entry.fields.keys.sorted() where !fields.contains(extra) {
                problems.append(BuildProblem(file: file, "has `\(type.type).fields.\(extra)`, which connection-types.yaml does not"))
            }
        }
        for extra in words.keys.sorted() where !known.contains(extra) {
            problems.append(BuildProblem(file: file, "has `\(extra)`, which connection-types.yaml does not"))
        }
        return problems
    }
}
