import CZlib
import Foundation

/// gzip with zlib. The header carries no name and no time, so the same input always gives
/// the same bytes.
enum Gzip {
    /// The level for a file: the best (9) for hashed assets, which every visitor loads and
    /// caches for a year; zlib's default (6) for pages, which came out within 1% of 9's
    /// size at well under half its time (deflate was 18% of a 10,000-page build).
    static func level(for file: OutputFile) -> Int32 { file.immutable ? 9 : 6 }

    static func compress(_ data: Data, level: Int32 = 6) -> Data {
        var stream = z_stream()
        // 15 window bits + 16 asks zlib for a gzip wrapper.
        guard deflateInit2_(&stream, level, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY,
                            ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else { return Data() }
        defer { deflateEnd(&stream) }
        let bound = Int(deflateBound(&stream, uLong(data.count))) + 32
        var output = Data(count: bound)
        let written: Int = data.withUnsafeBytes { input in
            output.withUnsafeMutableBytes { out in
                stream.next_in = UnsafeMutablePointer(mutating: input.bindMemory(to: Bytef.self).baseAddress)
                stream.avail_in = uInt(data.count)
                stream.next_out = out.bindMemory(to: Bytef.self).baseAddress
                stream.avail_out = uInt(bound)
                guard deflate(&stream, Z_FINISH) == Z_STREAM_END else { return 0 }
                return Int(stream.total_out)
            }
        }
        return output.prefix(written)
    }
}
