/// Versions of row changes, derived from where they are in the source's binlog, so that a replay of a
/// change always has the same version and a later change a higher one.
public enum SourceVersion {
    /// The version of bootstrap rows (snapshots carry no binlog position): lower than any binlog change,
    /// so a snapshot row fills a gap but never replaces what the binlog said.
    public static let bootstrap: Int64 = 1

    /// The version of a Maxwell `position` such as `mysql-bin.000042:1234`: file number × 2^32 + offset.
    /// Binlog files are at most 1 GiB (`max_binlog_size`), so offsets fit 32 bits; file numbers up to 2^30
    /// keep the result in Int64 (and in a Lua number's exact range). Nil for anything else.
    public static func of(position: String) -> Int64? {
        guard let colon = position.lastIndex(of: ":"), let dot = position[..<colon].lastIndex(of: ".") else { return nil }
        let fileDigits = position[position.index(after: dot)..<colon]
        let offsetDigits = position[position.index(after: colon)...]
        guard !fileDigits.isEmpty, !offsetDigits.isEmpty,
              fileDigits.allSatisfy({ $0.isASCII && $0.isNumber }), offsetDigits.allSatisfy({ $0.isASCII && $0.isNumber }),
              let file = Int64(fileDigits), let offset = Int64(offsetDigits),
              file < 1 << 30, offset < 1 << 32 else { return nil }
        return file << 32 | offset
    }
}
