import Foundation
@testable import SiteBuilder

/// `content/openapi.yaml`, read by the same loader the docs are built with, to check that
/// each sandbox answer is one the contract declares, in the shape it declares.
struct ContractSchema {
    static let shared = try! ContractSchema()

    let operations: [String: APIOperation]

    init() throws {
        let text = try String(contentsOf: SandboxHarness.content.appendingPathComponent("openapi.yaml"), encoding: .utf8)
        operations = Dictionary(uniqueKeysWithValues: try APIReferenceLoader.load(yaml: text, shownAs: "openapi.yaml").operations.map { ($0.operationID, $0) })
    }

    /// What is wrong with an answer to an operation; empty when it conforms.
    func violations(operation id: String, status: Int, body: String) -> [String] {
        guard let operation = operations[id] else { return ["no operation \(id)"] }
        guard let response = operation.responses.first(where: { $0.status == String(status) }) else {
            return ["\(id) does not declare status \(status) (declares \(operation.responses.map(\.status).joined(separator: ", ")))"]
        }
        guard let json = try? JSONSerialization.jsonObject(with: Data(body.utf8)) else { return ["\(id) \(status): body is not JSON: \(body)"] }
        return check(json, against: response.fields, at: "\(id) \(status)")
    }

    private func check(_ value: Any, against fields: [APIField], at path: String) -> [String] {
        guard !fields.isEmpty else { return [] }
        guard let object = value as? [String: Any] else { return ["\(path): expected an object"] }
        var problems: [String] = []
        let declared = Set(fields.map(\.name))
        for key in object.keys where !declared.contains(key) { problems.append("\(path).\(key): not declared") }
        for field in fields {
            guard let member = object[field.name] else {
                if field.required { problems.append("\(path).\(field.name): required but missing") }
                continue
            }
            problems += check(member, field: field, at: "\(path).\(field.name)")
        }
        return problems
    }

    private func check(_ value: Any, field: APIField, at path: String) -> [String] {
        if !field.enumValues.isEmpty, let text = value as? String, !field.enumValues.contains(text) {
            return ["\(path): \(text) is not one of \(field.enumValues.joined(separator: ", "))"]
        }
        if !field.variants.isEmpty {
            // oneOf: exactly one alternative fits.
            let fits = field.variants.filter { check(value, against: $0.fields, at: path).isEmpty }
            return fits.count == 1 ? [] : ["\(path): fits \(fits.count) of the alternatives \(field.variants.map(\.name).joined(separator: ", "))"]
        }
        let type = field.type
        if type.hasPrefix("array") {
            guard let items = value as? [Any] else { return ["\(path): expected an array"] }
            return items.enumerated().flatMap { check($1, against: field.children, at: "\(path)[\($0)]") }
        }
        if type.hasPrefix("object") {
            guard value is [String: Any] else { return ["\(path): expected an object"] }
            return check(value, against: field.children, at: path)
        }
        if type.hasPrefix("string") { return value is String ? [] : ["\(path): expected a string"] }
        if type.hasPrefix("integer") || type.hasPrefix("number") { return value is NSNumber ? [] : ["\(path): expected a number"] }
        if type.hasPrefix("boolean") { return value is NSNumber ? [] : ["\(path): expected a boolean"] }
        return []
    }
}
