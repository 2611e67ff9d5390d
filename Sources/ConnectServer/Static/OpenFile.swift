#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Hummingbird
import NIOPosix

/// A file over the memory budget, held open from the manifest's load until the site is
/// replaced and its last request is done.
///
/// Holding the descriptor rather than the path is what lets a request in flight finish
/// after the builder renamed a new `public/` in and deleted the old one: the bytes stay
/// readable until the descriptor is closed.
final class OpenFile: Sendable {
    let descriptor: Int32

    init(descriptor: Int32) { self.descriptor = descriptor }

    deinit { close(descriptor) }

    /// A body that streams `range` in chunks, each read with `pread` on NIO's thread pool
    /// so that the event loops never block on the disk.
    func body(range: ClosedRange<Int>, chunkSize: Int = 128 * 1024) -> ResponseBody {
        ResponseBody(contentLength: range.count) { writer in
            var offset = range.lowerBound
            let end = range.upperBound + 1
            while offset < end {
                let length = min(chunkSize, end - offset)
                let start = offset
                let chunk = try await NIOThreadPool.singleton.runIfActive { try self.read(at: start, length: length) }
                try await writer.write(chunk)
                offset += length
            }
            try await writer.finish(nil)
        }
    }

    private func read(at offset: Int, length: Int) throws -> ByteBuffer {
        var buffer = ByteBufferAllocator().buffer(capacity: length)
        let count = try buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: length) { bytes in
            var done = 0
            while done < length {
                let got = pread(descriptor, bytes.baseAddress! + done, length - done, off_t(offset + done))
                if got < 0 { if errno == EINTR { continue }; throw SafeFile.Failure.system("pread", errno) }
                if got == 0 { throw SafeFile.Failure.sizeMismatch(expected: offset + length, actual: offset + done) }
                done += got
            }
            return done
        }
        precondition(count == length)
        return buffer
    }
}
