import Testing

/// The conformance check itself catches what it must, so that a passing sandbox test means something.
@Suite struct ContractSchemaTests {
    let schema = ContractSchema.shared

    @Test func catchesUndeclaredStatusesMissingFieldsAndWrongTypes() {
        #expect(schema.violations(operation: "createConnectToken", status: 201, body: "{}").first?.contains("does not declare status 201") == true)
        #expect(schema.violations(operation: "createConnectToken", status: 200, body: #"{"token": "t", "url": "u"}"#)
                == ["createConnectToken 200.expires_at: required but missing"])
        #expect(schema.violations(operation: "listConnectRequirements", status: 200, body: #"{"data": [{"id": 1}]}"#).contains("listConnectRequirements 200.data[0].id: expected a string"))
        #expect(schema.violations(operation: "listConnectRequirements", status: 401, body: #"{"error": {"code": "unauthorized", "message": "x", "extra": 1}}"#)
                == ["listConnectRequirements 401.error.extra: not declared"])
        // The requirement's spec is a union by type: a connection's data has no app_slug.
        let requirement = #"{"id": "x", "type": "connection", "title": "t", "description": "d", "spec": %@}"#
        let good = requirement.replacingOccurrences(of: "%@", with: #"{"type": "connection", "data": {"type": "dynamiq.connections.OpenAI"}}"#)
        let mixed = requirement.replacingOccurrences(of: "%@", with: #"{"type": "connection", "data": {"app_slug": "gmail"}}"#)
        let unknown = requirement.replacingOccurrences(of: "%@", with: #"{"type": "other", "data": {}}"#)
        #expect(schema.violations(operation: "listConnectRequirements", status: 200, body: #"{"data": [\#(good)]}"#) == [])
        #expect(schema.violations(operation: "listConnectRequirements", status: 200, body: #"{"data": [\#(mixed)]}"#)
                == ["listConnectRequirements 200.data[0].spec: fits 0 of the alternatives connection, pipedream_account"])
        #expect(!schema.violations(operation: "listConnectRequirements", status: 200, body: #"{"data": [\#(unknown)]}"#).isEmpty)
    }
}
