import ConnectAPI
import Foundation

/// Checks a credentials submission against the requirement and the connection-type catalog,
/// the one catalog the page's forms and the docs use too. Every failure names its field in
/// `details`; no message repeats a submitted value, since it may be a secret.
struct CredentialCheck {
    let requirement: SandboxRequirement
    let catalog: ConnectionTypeCatalog

    enum Outcome {
        /// The connection type and its configuration, as JSON to seal.
        case valid(type: String, config: Data)
        case invalid([String: String])
    }

    func check(_ body: Data) -> Outcome {
        guard requirement.type == .connection else {
            return .invalid(["requirement_id": "is a pipedream_account requirement: link the account with pipedream/authorize"])
        }
        guard case .object(let object)? = try? JSONDecoder().decode(JSONValue.self, from: body) else {
            return .invalid(["body": "must be a JSON object with `type` and `config`"])
        }
        var details: [String: String] = [:]
        for key in object.keys where key != "type" && key != "config" {
            details[key] = "is not a field of the request"
        }
        let expected = requirement.spec.data["type"] ?? ""
        guard case .string(let type)? = object["type"], !type.isEmpty else {
            details["type"] = "is required: \(expected)"
            return .invalid(details)
        }
        guard type == expected else {
            details["type"] = "must be \(expected), the requirement's connection type"
            return .invalid(details)
        }
        guard let connectionType = catalog.type(named: type) else {
            details["type"] = "is not a known connection type"
            return .invalid(details)
        }
        guard !connectionType.isOAuth2 else {
            details["type"] = "is authorized with OAuth2: use oauth2/authorize instead of credentials"
            return .invalid(details)
        }
        guard case .object(let config)? = object["config"] else {
            details["config"] = "is required: an object of the connection's fields"
            return .invalid(details)
        }
        let fields = connectionType.fields ?? []
        let known = Set(fields.map(\.name))
        for key in config.keys where !known.contains(key) {
            details["config.\(key)"] = "is not a field of \(type)"
        }
        var clean: [String: JSONValue] = [:]
        for field in fields {
            var value = config[field.name] ?? .null
            // Pasted values often carry a stray space or newline.
            if case .string(let text) = value { value = .string(text.trimmingCharacters(in: .whitespacesAndNewlines)) }
            if value == .null || value == .string("") {
                if field.isRequired { details["config.\(field.name)"] = "is required" }
                continue
            }
            if let problem = Self.problem(with: value, for: field) {
                details["config.\(field.name)"] = problem
            } else {
                clean[field.name] = value
            }
        }
        guard details.isEmpty else { return .invalid(details) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return .valid(type: type, config: (try? encoder.encode(clean)) ?? Data("{}".utf8))
    }

    /// What is wrong with a present value, or nil.
    static func problem(with value: JSONValue, for field: ConnectionField) -> String? {
        switch (field.type, value) {
        case (.string, .string):
            return nil
        case (.string, _):
            return "must be text"
        case (.url, .string(let text)):
            guard let url = URLComponents(string: text), ["http", "https"].contains(url.scheme?.lowercased() ?? ""),
                  !(url.host ?? "").isEmpty else { return "must be an http or https URL" }
            return nil
        case (.url, _):
            return "must be an http or https URL"
        case (.integer, .number(let number)) where number == number.rounded() && abs(number) < 1e15:
            return nil
        case (.integer, .string(let text)) where Int(text) != nil:
            return nil
        case (.integer, _):
            return "must be a whole number"
        case (.enum, .string(let text)) where (field.enum ?? []).contains(text):
            return nil
        case (.enum, _):
            return "must be one of \((field.enum ?? []).joined(separator: ", "))"
        case (.object, .object(let members)) where members.values.allSatisfy({ if case .string = $0 { true } else { false } }):
            return nil
        case (.object, _):
            return "must be an object of names to text values"
        }
    }
}
