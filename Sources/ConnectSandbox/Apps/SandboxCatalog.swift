import ConnectAPI
import Foundation
import Yams

/// The Apps of `content/sandbox.yaml` and the connection types of
/// `content/connection-types.yaml`, loaded and checked against each other.
public struct SandboxCatalog: Sendable {
    public var apps: [SandboxApp]
    public var connectionTypes: ConnectionTypeCatalog

    public init(apps: [SandboxApp], connectionTypes: ConnectionTypeCatalog) {
        self.apps = apps
        self.connectionTypes = connectionTypes
    }

    public func app(hostname: String) -> SandboxApp? {
        apps.first { $0.hostname.lowercased() == hostname.lowercased() }
    }

    public func app(id: String) -> SandboxApp? {
        apps.first { $0.id == id }
    }

    /// Reads both files from a content folder; a mistake stops with the file, line and reason.
    public static func load(content: URL, shownAs folder: String = "content") throws(ContentProblem) -> SandboxCatalog {
        let typesFile = "\(folder)/connection-types.yaml"
        let types = try YAMLFile.decode(ConnectionTypeCatalog.self, at: content.appendingPathComponent("connection-types.yaml"), shownAs: typesFile)
        let appsFile = "\(folder)/sandbox.yaml"
        let appsURL = content.appendingPathComponent("sandbox.yaml")
        guard let text = try? String(contentsOf: appsURL, encoding: .utf8) else {
            throw ContentProblem(file: appsFile, "cannot be read: the sandbox's Apps are defined there")
        }
        let file = try YAMLFile.decode(AppsFile.self, from: text, shownAs: appsFile)
        let root = try YAMLFile.compose(text, shownAs: appsFile)
        try SandboxCatalogCheck(file: appsFile, root: root, types: types).check(file.apps)
        return SandboxCatalog(apps: file.apps, connectionTypes: types)
    }

    private struct AppsFile: Decodable {
        var apps: [SandboxApp]
    }
}

/// The rules `sandbox.yaml` must follow beyond its shape, each failure located by line.
struct SandboxCatalogCheck {
    let file: String
    let root: Node
    let types: ConnectionTypeCatalog

    static let accessKeyPrefix = "dynamiq_acc_"

    func check(_ apps: [SandboxApp]) throws(ContentProblem) {
        guard !apps.isEmpty else { throw ContentProblem(file: file, "`apps` is empty: the sandbox needs at least one App") }
        var hostnames = Set<String>()
        var ids = Set<String>()
        for (index, app) in apps.enumerated() {
            let at = ["apps", "\(index)"]
            try require(ConnectRoute.isUUID(app.id), at + ["id"], "`id` must be a UUID")
            try require(ConnectRoute.isUUID(app.workflowID), at + ["workflow_id"], "`workflow_id` must be a UUID")
            try require(ids.insert(app.id).inserted, at + ["id"], "App id \(app.id) is used twice")
            try require(Self.isHostname(app.hostname), at + ["hostname"], "`hostname` must be a DNS name such as my-app.apps.example.com")
            try require(hostnames.insert(app.hostname.lowercased()).inserted, at + ["hostname"], "hostname \(app.hostname) is used twice")
            switch app.access {
            case .private:
                let keys = app.accessKeys ?? []
                try require(!keys.isEmpty, at + ["access"], "a private App needs `access_keys`")
                for (keyIndex, key) in keys.enumerated() {
                    try require(Self.isAccessKey(key), at + ["access_keys", "\(keyIndex)"],
                                "an Access Key is `dynamiq_acc_` followed by 64 letters and digits")
                }
            case .public:
                try require((app.accessKeys ?? []).isEmpty, at + ["access_keys"], "a public App takes no `access_keys`")
            }
            var requirementIDs = Set<String>()
            for (requirementIndex, requirement) in app.requirements.enumerated() {
                let here = at + ["requirements", "\(requirementIndex)"]
                try require(ConnectRoute.isUUID(requirement.id), here + ["id"], "`id` must be a UUID")
                try require(requirementIDs.insert(requirement.id.lowercased()).inserted, here + ["id"], "requirement id \(requirement.id) is used twice")
                try require(requirement.spec.type == requirement.type, here + ["spec", "type"], "`spec.type` must equal `type` (\(requirement.type.rawValue))")
                switch requirement.type {
                case .connection:
                    let name = requirement.spec.data["type"] ?? ""
                    try require(types.type(named: name) != nil, here + ["spec", "data", "type"],
                                "connection type `\(name)` is not in connection-types.yaml")
                case .pipedreamAccount:
                    try require(!(requirement.spec.data["app_slug"] ?? "").isEmpty, here + ["spec", "data"], "a pipedream_account requirement needs `data.app_slug`")
                }
            }
        }
    }

    private func require(_ condition: Bool, _ path: [String], _ message: String) throws(ContentProblem) {
        guard !condition else { return }
        var node: Node? = root
        var line = root.mark?.line
        for key in path {
            if let index = Int(key), let sequence = node?.sequence, index < sequence.count { node = sequence[index] } else { node = node?[key] }
            if let mark = node?.mark { line = mark.line } else { break }
        }
        throw ContentProblem(file: file, line: line, message)
    }

    static func isAccessKey(_ key: String) -> Bool {
        let rest = key.dropFirst(accessKeyPrefix.count)
        return key.hasPrefix(accessKeyPrefix) && rest.count == 64 && rest.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }
    }

    static func isHostname(_ name: String) -> Bool {
        let labels = name.split(separator: ".", omittingEmptySubsequences: false)
        return !name.isEmpty && name.count <= 253 && labels.allSatisfy { label in
            !label.isEmpty && label.count <= 63 && !label.hasPrefix("-") && !label.hasSuffix("-")
                && label.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
        }
    }
}
