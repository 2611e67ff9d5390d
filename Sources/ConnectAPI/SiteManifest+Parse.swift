import Foundation

extension SiteManifest {
    /// Reads a manifest: a direct parse of the manifest's own shape, or `JSONDecoder` for
    /// anything that parse does not expect (another key order is fine, another key is not).
    ///
    /// Why not `JSONDecoder` alone: it took longer to read a 10,000-page site's manifest
    /// (20,000 entries, 7 MB) than build-site takes to write the site's changed files, and
    /// the server reads it on every reload.
    public static func decode(_ data: Data) throws -> SiteManifest {
        let parsed = data.withUnsafeBytes { bytes -> SiteManifest? in
            var parser = ManifestParser(bytes: bytes)
            return parser.manifest()
        }
        if let parsed { return parsed }
        return try JSONDecoder().decode(SiteManifest.self, from: data)
    }
}

/// A JSON reader for exactly the manifest's types; nil at the first thing it does not expect.
private struct ManifestParser {
    let bytes: UnsafeRawBufferPointer
    var index = 0

    init(bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    mutating func manifest() -> SiteManifest? {
        var version: Int?
        var notFound: String?
        var entries: [ManifestEntry]?
        let complete = object { key, parser in
            switch key {
            case "version": version = parser.integer(); return version != nil
            case "notFound":
                if parser.literal("null") { return true }
                notFound = parser.string(); return notFound != nil
            case "entries": entries = parser.array { $0.entry() }; return entries != nil
            default: return false
            }
        }
        skipWhitespace()
        guard complete, index == bytes.count, let version, let entries else { return nil }
        return SiteManifest(version: version, notFound: notFound, entries: entries)
    }

    mutating func entry() -> ManifestEntry? {
        var path, file, mediaType, sha256: String?
        var size: Int?
        var gzip: GzipVariant?
        var immutable: Bool?
        var scriptHashes, styleHashes, frameAncestors: [String]?
        let complete = object { key, parser in
            switch key {
            case "path": path = parser.string(); return path != nil
            case "file": file = parser.string(); return file != nil
            case "mediaType": mediaType = parser.string(); return mediaType != nil
            case "sha256": sha256 = parser.string(); return sha256 != nil
            case "size": size = parser.integer(); return size != nil
            case "immutable": immutable = parser.boolean(); return immutable != nil
            case "scriptHashes": scriptHashes = parser.array { $0.string() }; return scriptHashes != nil
            case "styleHashes": styleHashes = parser.array { $0.string() }; return styleHashes != nil
            case "frameAncestors": frameAncestors = parser.array { $0.string() }; return frameAncestors != nil
            case "gzip":
                if parser.literal("null") { return true }
                gzip = parser.variant(); return gzip != nil
            default: return false
            }
        }
        guard complete, let path, let file, let mediaType, let sha256, let size, let immutable else { return nil }
        return ManifestEntry(path: path, file: file, mediaType: mediaType, size: size, sha256: sha256, gzip: gzip, immutable: immutable,
                             scriptHashes: scriptHashes, styleHashes: styleHashes, frameAncestors: frameAncestors)
    }

    mutating func variant() -> GzipVariant? {
        var file, sha256: String?
        var size: Int?
        let complete = object { key, parser in
            switch key {
            case "file": file = parser.string(); return file != nil
            case "sha256": sha256 = parser.string(); return sha256 != nil
            case "size": size = parser.integer(); return size != nil
            default: return false
            }
        }
        guard complete, let file, let sha256, let size else { return nil }
        return GzipVariant(file: file, size: size, sha256: sha256)
    }

    // MARK: JSON

    /// `{ "key": value, ... }`, each value read by `member`, which returns false to give up.
    mutating func object(_ member: (String, inout ManifestParser) -> Bool) -> Bool {
        guard consume(UInt8(ascii: "{")) else { return false }
        if consume(UInt8(ascii: "}")) { return true }
        repeat {
            skipWhitespace()
            guard let key = string(), consume(UInt8(ascii: ":")) else { return false }
            skipWhitespace()
            guard member(key, &self) else { return false }
        } while consume(UInt8(ascii: ","))
        return consume(UInt8(ascii: "}"))
    }

    mutating func array<T>(_ element: (inout ManifestParser) -> T?) -> [T]? {
        guard consume(UInt8(ascii: "[")) else { return nil }
        var items: [T] = []
        if consume(UInt8(ascii: "]")) { return items }
        repeat {
            skipWhitespace()
            guard let item = element(&self) else { return nil }
            items.append(item)
        } while consume(UInt8(ascii: ","))
        return consume(UInt8(ascii: "]")) ? items : nil
    }

    mutating func string() -> String? {
        guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { return nil }
        index += 1
        let start = index
        // The common case has no escape: one copy of the bytes.
        while index < bytes.count, bytes[index] != UInt8(ascii: "\""), bytes[index] != UInt8(ascii: "\\"), bytes[index] >= 0x20 {
            index += 1
        }
        guard index < bytes.count else { return nil }
        if bytes[index] == UInt8(ascii: "\"") {
            defer { index += 1 }
            return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        }
        return nil  // escapes and control characters: JSONDecoder reads those
    }

    mutating func integer() -> Int? {
        var value = 0
        let start = index
        while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 {
            let (product, overflow) = value.multipliedReportingOverflow(by: 10)
            guard !overflow, index - start < 18 else { return nil }
            value = product + Int(bytes[index] - 0x30)
            index += 1
        }
        return index > start ? value : nil
    }

    mutating func boolean() -> Bool? {
        if literal("true") { return true }
        if literal("false") { return false }
        return nil
    }

    mutating func literal(_ word: StaticString) -> Bool {
        let count = word.utf8CodeUnitCount
        guard index + count <= bytes.count else { return false }
        for offset in 0..<count where bytes[index + offset] != word.utf8Start[offset] { return false }
        index += count
        return true
    }

    mutating func consume(_ byte: UInt8) -> Bool {
        skipWhitespace()
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    mutating func skipWhitespace() {
        while index < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[index]) { index += 1 }
    }
}
