import ConnectAPI
import Foundation

/// The deploy configs `build-site` writes to `deploy/`, beside the output folder: made from
/// the manifest the build wrote and the `deploy:` settings of `content/site.yaml`.
enum DeployFiles {
    /// The files, by name in `deploy/`, with the fence language the guide shows them in.
    static let names: [(name: String, language: String)] = [("nginx.conf", "nginx"), ("Caddyfile", "caddy"), ("_headers", "text")]

    /// The folder beside `output`: `deploy/` beside `public/`.
    static func folder(beside output: URL) -> URL {
        output.deletingLastPathComponent().appendingPathComponent("deploy")
    }

    /// Every file's text.
    static func make(manifest: SiteManifest, settings: DeploySettings) throws(DeployProblem) -> [String: String] {
        let site = try DeploySite(manifest: manifest, settings: settings)
        return ["nginx.conf": NginxConfig.render(site), "Caddyfile": CaddyConfig.render(site), "_headers": try HeadersFile.render(site)]
    }

    /// Writes the files into `folder`, each beside itself and renamed into place.
    static func write(_ files: [String: String], to folder: URL) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for (name, text) in files {
            let target = folder.appendingPathComponent(name)
            let temporary = folder.appendingPathComponent(".\(name).new-\(getpid())")
            try Data(text.utf8).write(to: temporary)
            guard rename(temporary.path, target.path) == 0 else {
                let reason = String(cString: strerror(errno))
                unlink(temporary.path)
                throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "cannot write \(target.path): \(reason)"])
            }
        }
    }
}
