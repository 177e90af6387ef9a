import CZlib

/// Why a gzip body could not be inflated.
public enum GzipError: Error, Equatable {
    case malformed(String)
    /// The inflated body would exceed the limit: a likely decompression bomb.
    case tooLarge(limit: Int)
}

/// Inflates gzip (or zlib) data, refusing output beyond `limit` bytes.
public enum Gzip {
    public static func inflate(_ input: [UInt8], limit: Int) throws(GzipError) -> [UInt8] {
        var stream = z_stream()
        // windowBits 15 + 32: a 32 KiB window, gzip or zlib header detected automatically.
        guard inflateInit2_(&stream, 15 + 32, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw .malformed("inflateInit failed")
        }
        defer { inflateEnd(&stream) }
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        var input = input
        var status: Int32 = Z_OK
        var overLimit = false
        let inputCount = input.count
        input.withUnsafeMutableBufferPointer { inputBuffer in
            stream.next_in = inputBuffer.baseAddress
            stream.avail_in = UInt32(inputCount)
            while status == Z_OK && !overLimit {
                chunk.withUnsafeMutableBufferPointer { chunkBuffer in
                    stream.next_out = chunkBuffer.baseAddress
                    stream.avail_out = UInt32(chunkBuffer.count)
                    status = CZlib.inflate(&stream, Z_NO_FLUSH)
                    let produced = chunkBuffer.count - Int(stream.avail_out)
                    if output.count + produced > limit {
                        overLimit = true
                    } else {
                        output.append(contentsOf: chunkBuffer[0..<produced])
                    }
                }
                // Input used up without reaching the stream's end: truncated.
                if status == Z_OK && stream.avail_in == 0 && stream.avail_out != 0 { break }
            }
        }
        if overLimit { throw .tooLarge(limit: limit) }
        guard status == Z_STREAM_END else { throw .malformed("not a complete gzip stream (zlib status \(status))") }
        return output
    }
}
