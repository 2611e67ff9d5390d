import ConnectAPI

/// The bodies of the contract, field for field (`connect-api.md`).
enum ResponseBodies {
    /// Endpoint 1.
    struct ConnectToken: Encodable {
        var token: String
        var url: String
        var expiresAt: String

        enum CodingKeys: String, CodingKey {
            case token, url
            case expiresAt = "expires_at"
        }
    }

    /// Endpoint 2.
    struct AppStatus: Encodable {
        var status: String
        var unsatisfied: [Unsatisfied]
    }

    struct Unsatisfied: Encodable {
        struct Form: Encodable {
            var title: String
            var description: String
        }

        var id: String
        var type: RequirementType
        var form: Form
        var spec: RequirementSpec
        var workflowID: String
        var name: String

        enum CodingKeys: String, CodingKey {
            case id, type, form, spec, name
            case workflowID = "workflow_id"
        }
    }

    /// Endpoint 3.
    struct RequirementList: Encodable {
        var data: [Requirement]
    }

    /// Endpoint 4: each requirement of 3 plus its `status`.
    struct StatusList: Encodable {
        var data: [RequirementWithStatus]
    }

    struct RequirementWithStatus: Encodable {
        var requirement: Requirement
        var status: RequirementStatus
        /// A sandbox addition: `denied` on a pending requirement whose latest consent was
        /// declined, so that the page can say so. Absent otherwise, and on the platform.
        var reason: String? = nil

        enum CodingKeys: String, CodingKey {
            case status, reason
        }

        func encode(to encoder: Encoder) throws {
            try requirement.encode(to: encoder)
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(status, forKey: .status)
            try container.encodeIfPresent(reason, forKey: .reason)
        }
    }

    /// Endpoint 5.
    struct Message: Encodable {
        var message: String
    }

    /// Endpoints 6 and 7.
    struct AuthorizationURL: Encodable {
        struct Data: Encodable {
            var url: String
        }

        var data: Data
    }
}
