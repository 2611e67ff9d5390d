import OpenAPIKit30

/// What a schema says about its values beyond the type, as the field list shows it:
/// `enum`, `default`, `nullable`, bounds, `pattern` and `example`, in OpenAPI 3.0's terms.
enum SchemaFacts {
    static func enumValues(_ schema: DereferencedJSONSchema) -> [String] {
        (schema.allowedValues ?? []).map { text(of: $0) }
    }

    /// Label and value pairs, e.g. `("Default", "10")`, `("Range", "1 to 100")`.
    static func facts(_ schema: DereferencedJSONSchema) -> [(label: String, value: String)] {
        var facts: [(String, String)] = []
        if let value = schema.defaultValue { facts.append(("Default", text(of: value))) }
        if schema.nullable { facts.append(("Nullable", "null is allowed")) }
        switch schema {
        case .string(_, let string):
            if let range = range(min: string.minLength > 0 ? "\(string.minLength)" : nil, max: string.maxLength.map(String.init)) {
                facts.append(("Length", range))
            }
            if let pattern = string.pattern { facts.append(("Pattern", pattern)) }
        case .integer(_, let integer):
            if let bounds = bounds(min: integer.minimum.map { ("\($0.value)", $0.exclusive) },
                                   max: integer.maximum.map { ("\($0.value)", $0.exclusive) }) {
                facts.append(("Range", bounds))
            }
            if let step = integer.multipleOf { facts.append(("Multiple of", "\(step)")) }
        case .number(_, let numeric):
            if let bounds = bounds(min: numeric.minimum.map { (Self.number($0.value), $0.exclusive) },
                                   max: numeric.maximum.map { (Self.number($0.value), $0.exclusive) }) {
                facts.append(("Range", bounds))
            }
        case .array(_, let array):
            if let range = range(min: array.minItems > 0 ? "\(array.minItems)" : nil, max: array.maxItems.map(String.init)) {
                facts.append(("Items", range))
            }
            if array.uniqueItems { facts.append(("Items", "unique")) }
        default:
            break
        }
        if let example = schema.example { facts.append(("Example", text(of: example))) }
        return facts
    }

    /// `oneOf` or `anyOf`: the alternatives, each named by its discriminator value where
    /// there is one, and the property that tells them apart.
    static func variants(_ schema: DereferencedJSONSchema) -> (discriminator: String?, choices: [(name: String, schema: DereferencedJSONSchema)])? {
        let choices: [DereferencedJSONSchema]
        switch schema {
        case .one(let of, _), .any(let of, _): choices = of
        default: return nil
        }
        let property = schema.discriminator?.propertyName
        return (property, choices.enumerated().map { index, choice in
            (name(of: choice, discriminator: property) ?? choice.title ?? "Option \(index + 1)", choice)
        })
    }

    /// The single `enum` value of the discriminating property: how a variant is chosen.
    private static func name(of choice: DereferencedJSONSchema, discriminator: String?) -> String? {
        guard let discriminator, case .object(_, let object) = choice,
              let values = object.properties[discriminator]?.allowedValues, values.count == 1 else { return nil }
        return text(of: values[0])
    }

    private static func range(min: String?, max: String?) -> String? {
        switch (min, max) {
        case let (min?, max?): min == max ? "exactly \(min)" : "\(min) to \(max)"
        case let (min?, nil): "at least \(min)"
        case let (nil, max?): "at most \(max)"
        default: nil
        }
    }

    private static func bounds(min: (String, Bool)?, max: (String, Bool)?) -> String? {
        let low = min.map { ($0.1 ? "> " : "≥ ") + $0.0 }
        let high = max.map { ($0.1 ? "< " : "≤ ") + $0.0 }
        switch (low, high) {
        case let (low?, high?): return low + " and " + high
        case let (low?, nil): return low
        case let (nil, high?): return high
        default: return nil
        }
    }

    private static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }

    private static func text(of value: AnyCodable) -> String {
        switch value.value {
        case let string as String: string
        case Optional<Any>.none: "null"
        case let bool as Bool: bool ? "true" : "false"
        case let double as Double: number(double)
        default: "\(value.value)"
        }
    }
}
