/// Why a `public/` folder cannot be served. Each message names the file and what to do.
public struct SiteLoadError: Error, CustomStringConvertible, Sendable {
    public let description: String

    init(_ description: String) { self.description = description }

    static func manifest(_ path: String, _ problem: String) -> SiteLoadError {
        SiteLoadError("\(path): \(problem); run `swift run build-site` to build the site first")
    }

    static func entry(_ path: String, _ problem: String) -> SiteLoadError {
        SiteLoadError("\(path): \(problem); the manifest does not match the folder, run `swift run build-site` again")
    }
}
