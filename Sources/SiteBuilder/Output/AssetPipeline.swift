import Foundation

/// Copies assets with a content hash in their names (`site.css` → `site.3f2a1c9e.css`) and
/// rewrites the references to them, so that they can be cached forever.
struct AssetPipeline {
    /// Original URL path to hashed URL path.
    private(set) var hashedURLs: [String: String] = [:]
    private(set) var files: [OutputFile] = []

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
            files.append(OutputFile(file: String(hashed.dropFirst()), url: hashed, bytes: bytes,
                                    mediaType: MediaType.of(asset.url), immutable: true))
        }
        guard problems.isEmpty else { throw BuildFailure(problems) }
    }

    /// The text with every quoted or `url(...)` reference to an asset pointing at its hashed name.
    ///
    /// One pass over the bytes: each `"…"`, `'…'` or `(…)` span that starts with `/` is looked
    /// up whole. It runs on every page, so it never searches the text once per asset.
    func rewrite(_ text: String) -> String {
        guard !hashedURLs.isEmpty else { return text }
        let bytes = Array(text.utf8)
        var output: [UInt8] = []
        var copied = 0
        var index = 0
        while index < bytes.count {
            let open = bytes[index]
            let close: UInt8 = open == UInt8(ascii: "(") ? UInt8(ascii: ")") : open
            guard open == UInt8(ascii: "\"") || open == UInt8(ascii: "'") || open == UInt8(ascii: "("),
                  index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "/") else {
                index += 1
                continue
            }
            var end = index + 1
            while end < bytes.count, end - index < 512, bytes[end] != close, bytes[end] > 32 { end += 1 }
            guard end < bytes.count, bytes[end] == close,
                  let hashed = hashedURLs[String(decoding: bytes[(index + 1)..<end], as: UTF8.self)] else {
                index += 1
                continue
            }
            if output.isEmpty { output.reserveCapacity(bytes.count + 64) }
            output.append(contentsOf: bytes[copied...index])
            output.append(contentsOf: hashed.utf8)
            copied = end
            index = end
        }
        guard copied > 0 else { return text }
        output.append(contentsOf: bytes[copied...])
        return String(decoding: output, as: UTF8.self)
    }

    /// `/assets/site.css` → `/assets/site.3f2a1c9e.css`.
    static func hashedURL(_ url: String, hash: String) -> String {
        let slash = url.lastIndex(of: "/").map { url.index(after: $0) } ?? url.startIndex
        let name = url[slash...]
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return url + "." + hash }
        return String(url[..<dot]) + "." + hash + String(url[dot...])
    }
}
