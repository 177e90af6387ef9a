/// A row change sorted by what the business stream does with it.
public enum BusinessChange: Sendable, Equatable {
    /// A dimension row to store (newest version wins).
    case dimension(DimensionKey, VersionedRow, bootstrap: Bool)
    /// An `order_info` row of the order `ref`.
    case order(OrderRef, VersionedRow, bootstrap: Bool)
    /// An `order_detail` row, under its order.
    case line(LineRef, VersionedRow, bootstrap: Bool)
    /// Another database's or table's change, which the business stream does not use.
    case ignored

    /// Sorts `change` (read from `partition`) for the shop database `database`; throws when a row the
    /// stream uses lacks its ids.
    public static func classify(_ change: MaxwellChange, partition: Int32, database: String) throws(ShopRowError) -> BusinessChange {
        guard change.database == database, let table = ShopTable(rawValue: change.table) else { return .ignored }
        let id = try change.row.requiredInteger("id")
        let value = VersionedRow(version: change.version, row: change.kind == .delete ? nil : change.row)
        let bootstrap = change.kind == .bootstrapInsert
        if let row = value.row {   // refuse what could not be turned into a record later
            if table == .order { _ = try OrderRecords.orderFields(row) }
            if table == .orderLine { try OrderRecords.validateLine(row) }
        }
        switch table {
        case .order: return .order(OrderRef(partition: partition, orderID: id), value, bootstrap: bootstrap)
        case .orderLine:
            let order = OrderRef(partition: partition, orderID: try change.row.requiredInteger("order_id"))
            return .line(LineRef(order: order, lineID: id), value, bootstrap: bootstrap)
        default:
            return .dimension(DimensionKey(table, id), value, bootstrap: bootstrap)
        }
    }

    /// The order whose join state this change needs.
    public var order: OrderRef? {
        switch self {
        case .order(let ref, _, _): return ref
        case .line(let ref, _, _): return ref.order
        default: return nil
        }
    }
}
