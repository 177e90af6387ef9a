#if canImport(CZlib)
import CZlib
#endif

/// gzip compression through zlib; unavailable (and never asked for) when the target is built without CZlib.
enum Gzip {
    struct Failure: Error, CustomStringConvertible {
        var status: Int32
        var description: String { "gzip compression failed (zlib status \(status))" }
    }

    #if canImport(CZlib)
    static let isAvailable = true

    /// `input` as one gzip member, default compression level.
    static func compress(_ input: [UInt8]) throws(Failure) -> [UInt8] {
        var stream = z_stream()
        // windowBits 15 + 16: a gzip header and trailer instead of zlib's.
        let initStatus = deflateInit2_(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY,
                                       ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard initStatus == Z_OK else { throw Failure(status: initStatus) }
        defer { deflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, UInt(input.count))) + 32)
        var input = input
        let status = input.withUnsafeMutableBufferPointer { source in
            output.withUnsafeMutableBufferPointer { target in
                stream.next_in = source.baseAddress
                stream.avail_in = UInt32(source.count)
                stream.next_out = target.baseAddress
                stream.avail_out = UInt32(target.count)
                return deflate(&stream, Z_FINISH)
            }
        }
        guard status == Z_STREAM_END else { throw Failure(status: status) }
        output.removeSubrange(Int(stream.total_out)...)
        return output
    }
    #else
    static let isAvailable = false

    static func compress(_ input: [UInt8]) throws(Failure) -> [UInt8] {
        throw Failure(status: -1)
    }
    #endif
}
