import ConnectAPI

/// What the deploy configs say about the site, read from the manifest the build wrote and
/// decided by ConnectAPI's policies: each URL with its headers, the redirects of a folder's
/// page, the media type of each extension.
struct DeploySite: Sendable {
    /// One URL of the manifest.
    struct File: Sendable, Equatable {
        var path: String
        var file: String
        var mediaType: String
        var immutable: Bool
        var hasGzip: Bool
        /// Its security headers, in the order connect-server sends them.
        var securityFields: [ResponseHeaderPolicy.Field]

        var cacheControl: String { CachePolicy.cacheControl(immutable: immutable) }
        /// Whether its security headers differ from every other answer's.
        func hasOwnSecurity(_ policy: ResponseHeaderPolicy) -> Bool { securityFields != policy.fields }
    }

    let settings: DeploySettings
    let policy: ResponseHeaderPolicy
    let files: [File]
    /// The page served with every 404, if the manifest names one.
    let notFound: File?
    /// `/docs` and `/docs/index.html` to `/docs/`: the URLs connect-server answers with a 301.
    let redirects: [(from: String, to: String)]
    /// Each file extension with the one media type the manifest gives it, sorted.
    let mediaTypes: [(ext: String, mediaType: String)]

    /// The media type of a file without an extension, and of nothing the manifest lists.
    static let defaultMediaType = "application/octet-stream"

    /// - Throws: a message when the manifest gives one extension two media types, which a
    ///   server's extension table cannot say.
    init(manifest: SiteManifest, settings: DeploySettings) throws(DeployProblem) {
        self.settings = settings
        policy = ResponseHeaderPolicy(hsts: settings.hsts)
        let policy = self.policy
        let files = manifest.entries.map { entry in
            File(path: entry.path, file: entry.file, mediaType: entry.mediaType, immutable: entry.immutable, hasGzip: entry.gzip != nil,
                 securityFields: policy.fields(scriptHashes: entry.scriptHashes, styleHashes: entry.styleHashes,
                                               frameAncestors: entry.frameAncestors))
        }
        self.files = files
        notFound = manifest.notFound.flatMap { name in files.first { $0.path == name } }
        let listed = Set(files.map(\.path))
        var redirects: [(String, String)] = []
        for file in files where file.path.hasSuffix("/") {
            if file.path != "/", !listed.contains(String(file.path.dropLast())) { redirects.append((String(file.path.dropLast()), file.path)) }
            if !listed.contains(file.path + "index.html") { redirects.append((file.path + "index.html", file.path)) }
        }
        self.redirects = redirects.sorted { $0.0 < $1.0 }
        var types: [String: String] = [:]
        for file in files {
            let name = file.file.split(separator: "/").last.map(String.init) ?? file.file
            guard let dot = name.lastIndex(of: "."), dot != name.startIndex else {
                if file.mediaType != Self.defaultMediaType {
                    throw DeployProblem("\(file.path) has no extension, so nginx and Caddy would send it as \(Self.defaultMediaType), not \(file.mediaType)")
                }
                continue
            }
            let ext = String(name[name.index(after: dot)...]).lowercased()
            if let known = types[ext], known != file.mediaType {
                throw DeployProblem("files ending in .\(ext) have two media types (\(known) and \(file.mediaType)); a server's extension table can give only one")
            }
            types[ext] = file.mediaType
        }
        mediaTypes = types.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    /// The files whose headers are not everyone's (the connect page), with those headers.
    var filesWithOwnSecurity: [File] { files.filter { $0.hasOwnSecurity(policy) } }

    /// The request ids connect-server keeps from a client: the same rule, for the configs.
    static let requestIDPattern = "^[A-Za-z0-9._:-]{1,128}$"
}

/// Why the deploy configs cannot be made from a manifest.
struct DeployProblem: Error, Sendable, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
