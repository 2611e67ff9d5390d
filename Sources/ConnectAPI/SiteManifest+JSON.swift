import Foundation

extension SiteManifest {
    /// The manifest as JSON, one entry per line, keys in a fixed order.
    ///
    /// Written by hand: JSONEncoder took about 100 ms for a 10,000-page site's 20,000
    /// entries, which a `--watch` update of one page cannot afford. `JSONDecoder` reads it
    /// as it reads the encoder's output; a test holds the two to the same manifest.
    public func encodedJSON() -> Data {
        Self.encodedJSON(version: version, notFound: notFound, lines: entries.map(Self.encodedLine))
    }

    /// The manifest from entries already encoded by ``encodedLine(_:)``: an update of one
    /// page encodes its own entries and reuses the other lines.
    public static func encodedJSON(version: Int = currentVersion, notFound: String?, lines: [[UInt8]]) -> Data {
        var out: [UInt8] = []
        out.reserveCapacity(64 + lines.reduce(0) { $0 + $1.count + 2 })
        out.append(contentsOf: "{\"version\":\(version),\"notFound\":".utf8)
        if let notFound { appendString(notFound, to: &out) } else { out.append(contentsOf: "null".utf8) }
        out.append(contentsOf: ",\"entries\":[".utf8)
        for (index, line) in lines.enumerated() {
            out.append(contentsOf: (index == 0 ? "\n" : ",\n").utf8)
            out.append(contentsOf: line)
        }
        out.append(contentsOf: "\n]}\n".utf8)
        return Data(out)
    }

    /// One entry as a JSON object.
    public static func encodedLine(_ entry: ManifestEntry) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(160 + entry.path.utf8.count * 2)
        out.append(contentsOf: "{\"path\":".utf8)
        appendString(entry.path, to: &out)
        out.append(contentsOf: ",\"file\":".utf8)
        appendString(entry.file, to: &out)
        out.append(contentsOf: ",\"mediaType\":".utf8)
        appendString(entry.mediaType, to: &out)
        out.append(contentsOf: ",\"size\":".utf8)
        out.append(contentsOf: String(entry.size).utf8)
        out.append(contentsOf: ",\"sha256\":".utf8)
        appendString(entry.sha256, to: &out)
        if let gzip = entry.gzip {
            out.append(contentsOf: ",\"gzip\":{\"file\":".utf8)
            appendString(gzip.file, to: &out)
            out.append(contentsOf: ",\"size\":".utf8)
            out.append(contentsOf: String(gzip.size).utf8)
            out.append(contentsOf: ",\"sha256\":".utf8)
            appendString(gzip.sha256, to: &out)
            out.append(UInt8(ascii: "}"))
        }
        out.append(contentsOf: (entry.immutable ? ",\"immutable\":true" : ",\"immutable\":false").utf8)
        for (key, hashes) in [("scriptHashes", entry.scriptHashes), ("styleHashes", entry.styleHashes), ("frameAncestors", entry.frameAncestors)] {
            guard let hashes else { continue }
            out.append(contentsOf: ",\"\(key)\":[".utf8)
            for (index, hash) in hashes.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                appendString(hash, to: &out)
            }
            out.append(UInt8(ascii: "]"))
        }
        out.append(UInt8(ascii: "}"))
        return out
    }

    /// A JSON string: quotes, backslashes and control characters escaped, the rest as UTF-8.
    private static func appendString(_ text: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                out.append(UInt8(ascii: "\\"))
                out.append(byte)
            case 0..<0x20:
                let hex: StaticString = "0123456789abcdef"
                out.append(contentsOf: "\\u00".utf8)
                out.append(hex.utf8Start[Int(byte >> 4)])
                out.append(hex.utf8Start[Int(byte & 0xF)])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
