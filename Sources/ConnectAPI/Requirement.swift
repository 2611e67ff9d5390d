/// One end-user requirement of an App, as `GET /v1/connect/requirements` lists it.
public struct Requirement: Codable, Sendable, Equatable {
    public var id: String
    public var type: RequirementType
    public var title: String
    public var description: String
    public var spec: RequirementSpec

    public init(id: String, type: RequirementType, title: String, description: String, spec: RequirementSpec) {
        self.id = id
        self.type = type
        self.title = title
        self.description = description
        self.spec = spec
    }
}

public enum RequirementType: String, Codable, Sendable {
    /// Credentials or an OAuth2 grant for one Dynamiq connection type.
    case connection
    /// A linked third-party account that an Action tool acts through.
    case pipedreamAccount = "pipedream_account"
}

/// `{"type": "connection", "data": {"type": "dynamiq.connections.HttpApiKey"}}` or
/// `{"type": "pipedream_account", "data": {"app_slug": "gmail"}}`.
public struct RequirementSpec: Codable, Sendable, Equatable {
    public var type: RequirementType
    public var data: [String: String]

    public init(type: RequirementType, data: [String: String]) {
        self.type = type
        self.data = data
    }
}

/// Whether the token's user has fulfilled a requirement.
public enum RequirementStatus: String, Codable, Sendable {
    case pending
    case completed
}
