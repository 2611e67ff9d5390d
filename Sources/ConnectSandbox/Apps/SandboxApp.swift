import ConnectAPI

/// One App of `content/sandbox.yaml`: where it answers, who may call it, what it needs.
public struct SandboxApp: Decodable, Sendable, Equatable {
    public var id: String
    /// The App's hostname; the sandbox serves it at `/apps/<hostname>`.
    public var hostname: String
    public var name: String
    public var workflowID: String
    public var access: Access
    /// The keys a private App accepts as `Authorization: Bearer`.
    public var accessKeys: [String]?
    public var requirements: [SandboxRequirement]
    /// The origins the App's pages live at: where the connect page may return to, send its
    /// events to, and be embedded by. The sandbox's demo App plays the first App with some.
    public var returnOrigins: [String]?

    public enum Access: String, Decodable, Sendable {
        /// Every call carries one of the App's Access Keys.
        case `private`
        /// Calls need no credential.
        case `public`
    }

    enum CodingKeys: String, CodingKey {
        case id, hostname, name, access, requirements
        case workflowID = "workflow_id"
        case accessKeys = "access_keys"
        case returnOrigins = "return_origins"
    }

    public func requirement(_ id: String) -> SandboxRequirement? {
        requirements.first { $0.id.lowercased() == id.lowercased() }
    }
}

/// A requirement of an App: the contract's `Requirement` plus the name the workflow uses.
public struct SandboxRequirement: Decodable, Sendable, Equatable {
    public var id: String
    public var name: String
    public var type: RequirementType
    public var title: String
    public var description: String
    public var spec: RequirementSpec

    /// As `GET /v1/connect/requirements` lists it.
    public var requirement: Requirement {
        Requirement(id: id, type: type, title: title, description: description, spec: spec)
    }
}
