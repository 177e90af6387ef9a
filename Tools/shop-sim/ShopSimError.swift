/// Why a run stopped: a request log-ingest refused or kept failing, or a file that could not be written.
struct ShopSimError: Error, CustomStringConvertible {
    var description: String
}
