import Foundation

/// Copies assets with a content hash in their names (`site.css` → `site.3f2a1c9e.css`) and
/// rewrites the references to them, so that they can be cached forever.
struct AssetPipeline {
    /// Original URL path to hashed URL path.
    private(set) var hashedURLs: [String: String] = [:]
    private(set) var files: [OutputFile] = []
    /// `hashedURLs`, longest original first (so `/a.css.map` is not cut by `/a.css`),
    /// kept in order as it grows so that rewriting a page sorts nothing.
    private var replacements: [(original: String, hashed: String)] = []

    /// Reads and hashes every asset. Stylesheets are hashed after the files they reference,
    /// with those references rewritten first, so a changed image changes the CSS's hash too.
    init(assets: [AssetSource]) throws(BuildFailure) {
        var problems: [BuildProblem] = []
        let isStylesheet = { (asset: AssetSource) in asset.url.hasSuffix(".css") }
        for asset in assets.filter({ !isStylesheet($0) }) + assets.filter(isStylesheet) {
            guard var bytes = asset.bytes ?? FileManager.default.contents(atPath: asset.sourcePath) else {
                problems.append(BuildProblem(file: asset.sourcePath, "cannot be read"))
                continue
            }
            if isStylesheet(asset), let text = String(data: bytes, encoding: .utf8) {
                bytes = Data(rewrite(text).utf8)
            }
            let hashed = Self.hashedURL(asset.url, hash: String(Digest.sha256(bytes).prefix(8)))
            hashedURLs[asset.url] = hashed
            let position = replacements.firstIndex { $0.original.count < asset.url.count } ?? replacements.endIndex
            replacements.insert((asset.url, hashed), at: position)
            files.append(OutputFile(file: String(hashed.dropFirst()), url: hashed, bytes: bytes,
                                    mediaType: MediaType.of(asset.url), immutable: true))
        }
        guard problems.isEmpty else { throw BuildFailure(problems) }
    }

    /// The text with every quoted or `url(...)` reference to an asset pointing at its hashed name.
    func rewrite(_ text: String) -> String {
        guard text.contains("/") else { return text }
        var result = text
        for (original, hashed) in replacements where result.contains(original) {
            for (open, close) in [("\"", "\""), ("'", "'"), ("(", ")")] {
                result = result.replacingOccurrences(of: open + original + close, with: open + hashed + close)
            }
        }
        return result
    }

    /// `/assets/site.css` → `/assets/site.3f2a1c9e.css`.
    static func hashedURL(_ url: String, hash: String) -> String {
        let slash = url.lastIndex(of: "/").map { url.index(after: $0) } ?? url.startIndex
        let name = url[slash...]
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return url + "." + hash }
        return String(url[..<dot]) + "." + hash + String(url[dot...])
    }
}
