/// `order_info.order_status`, gmall's codes.
enum OrderStatus: String, Sendable, CaseIterable {
    case unpaid = "1001"
    case paid = "1002"
    case cancelled = "1003"
    case finished = "1004"
    case refunding = "1005"
    case refunded = "1006"

    /// Whether an order in this status counts in the day's orders and amounts: all but cancelled ones
    /// (deleted orders are gone from the database, so they never count).
    var counts: Bool { self != .cancelled }

    /// Whether the order counts as paid: paid or finished.
    var isPaid: Bool { self == .paid || self == .finished }
}
