import Foundation

extension SiteManifest {
    /// The manifest as JSON, one entry per line, keys in a fixed order.
    ///
    /// Written by hand: JSONEncoder took about 100 ms for a 10,000-page site's 20,000
    /// entries, which a `--watch` rebuild of one page cannot afford. `JSONDecoder` reads it
    /// as it reads the encoder's output; a test holds the two to the same manifest.
    public func encodedJSON() -> Data {
        var out: [UInt8] = []
        out.reserveCapacity(64 + entries.count * 300)
        out += Array("{\"version\":\(version),\"notFound\":".utf8)
        if let notFound { Self.appendString(notFound, to: &out) } else { out += Array("null".utf8) }
        out += Array(",\"entries\":[".utf8)
        for (index, entry) in entries.enumerated() {
            out += Array((index == 0 ? "\n{\"path\":" : ",\n{\"path\":").utf8)
            Self.appendString(entry.path, to: &out)
            out += Array(",\"file\":".utf8)
            Self.appendString(entry.file, to: &out)
            out += Array(",\"mediaType\":".utf8)
            Self.appendString(entry.mediaType, to: &out)
            out += Array(",\"size\":\(entry.size),\"sha256\":".utf8)
            Self.appendString(entry.sha256, to: &out)
            if let gzip = entry.gzip {
                out += Array(",\"gzip\":{\"file\":".utf8)
                Self.appendString(gzip.file, to: &out)
                out += Array(",\"size\":\(gzip.size),\"sha256\":".utf8)
                Self.appendString(gzip.sha256, to: &out)
                out.append(UInt8(ascii: "}"))
            }
            out += Array((entry.immutable ? ",\"immutable\":true}" : ",\"immutable\":false}").utf8)
        }
        out += Array("\n]}\n".utf8)
        return Data(out)
    }

    /// A JSON string: quotes, backslashes and control characters escaped, the rest as UTF-8.
    private static func appendString(_ text: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
            case UInt8(ascii: "\\"): out += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                out += [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
