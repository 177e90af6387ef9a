extension Duration {
    /// The duration in whole milliseconds, rounded down and clamped to 0...Int32.max
    /// (librdkafka reads a negative timeout as "forever").
    var wholeMilliseconds: Int32 {
        let (seconds, attoseconds) = components
        guard seconds >= 0 else { return 0 }
        guard seconds < Int64(Int32.max / 1000) + 1 else { return Int32.max }
        return Int32(clamping: seconds * 1000 + attoseconds / 1_000_000_000_000_000)
    }
}
