/// Why talking to the shop database failed: what the simulator was doing (`purpose`, such as
/// "order 17: paid" or "checking the reference data") and what went wrong, with what to do when known.
struct ShopDatabaseError: Error, CustomStringConvertible {
    var purpose: String
    var detail: String

    var description: String { "shop database, \(purpose): \(detail)" }
}
