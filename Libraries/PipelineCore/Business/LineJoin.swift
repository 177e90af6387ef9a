/// Joins an order line with the dimension rows it references: its SKU's SPU, trademark and category
/// levels 3 → 2 → 1, its order's province and user. A null reference gives null fields; a reference to
/// a row not known yet makes the line wait (it is held, never dropped).
public enum LineJoin {
    public enum Outcome: Sendable, Equatable {
        /// The dimension fields of the wide line (see `OrderWideRecord`), plus `snapshotKey`.
        case joined([String: JSONValue])
        /// Rows that are referenced but unknown (`missing`) or not read from Redis yet (`unfetched`).
        case waiting(missing: [DimensionKey], unfetched: [DimensionKey])
    }

    /// The field of a joined snapshot that names what it was joined for: references and business day.
    /// A snapshot is reused only while these stay the same (dimension attributes are taken when a line is
    /// first joined), and joined again when the order moves to another province, user or day.
    public static let snapshotKey = "_joined_for"

    public static func snapshotKey(line: ShopRow, order: ShopRow) -> JSONValue {
        func part(_ row: ShopRow, _ column: String) -> String { (try? row.integer(column)).flatMap { $0.map(String.init) } ?? "" }
        let day = order.text("create_time").map { String($0.prefix(10)) } ?? ""
        return .string([part(order, "province_id"), part(order, "user_id"), part(line, "sku_id"), day].joined(separator: "|"))
    }

    public static func resolve(line: ShopRow, order: ShopRow, view: DimensionView) -> Outcome {
        var missing: [DimensionKey] = []
        var unfetched: [DimensionKey] = []
        /// nil: no reference or not available (then recorded as missing/unfetched).
        func lookup(_ table: ShopTable, _ row: ShopRow?, _ column: String) -> ShopRow? {
            guard let row, let id = (try? row.integer(column)) ?? nil else { return nil }
            let key = DimensionKey(table, id)
            if !view.isFetched(key) {
                unfetched.append(key)
                return nil
            }
            guard let found = view.current(key)?.row else {
                missing.append(key)
                return nil
            }
            return found
        }
        let sku = lookup(.sku, line, "sku_id")
        let spu = lookup(.spu, sku, "spu_id")
        let trademark = lookup(.trademark, sku, "tm_id")
        let category3 = lookup(.category3, sku, "category3_id")
        let category2 = lookup(.category2, category3, "category2_id")
        let category1 = lookup(.category1, category2, "category1_id")
        let province = lookup(.province, order, "province_id")
        let user = lookup(.user, order, "user_id")
        guard missing.isEmpty && unfetched.isEmpty else { return .waiting(missing: missing, unfetched: unfetched) }

        func integer(_ row: ShopRow?, _ column: String) -> JSONValue { ((try? row?.integer(column)) ?? nil).map(JSONValue.integer) ?? .null }
        func text(_ row: ShopRow?, _ column: String) -> JSONValue { row?.text(column).map(JSONValue.string) ?? .null }
        let orderDay = order.text("create_time").flatMap { BusinessDate(String($0.prefix(10))) }
        let birthday = user?.text("birthday").flatMap { BusinessDate(String($0.prefix(10))) }
        var age = JSONValue.null
        if let orderDay, let birthday, birthday <= orderDay { age = .integer(Int64(wholeYears(from: birthday, to: orderDay))) }
        return .joined([
            "province_name": text(province, "name"), "province_area_code": text(province, "area_code"),
            "province_iso_code": text(province, "iso_code"), "province_iso_3166_2": text(province, "iso_3166_2"),
            "province_region_id": text(province, "region_id"),
            "category1_id": integer(category2, "category1_id"), "category1_name": text(category1, "name"),
            "category2_id": integer(category3, "category2_id"), "category2_name": text(category2, "name"),
            "category3_id": integer(sku, "category3_id"), "category3_name": text(category3, "name"),
            "tm_id": integer(sku, "tm_id"), "tm_name": text(trademark, "tm_name"),
            "spu_id": integer(sku, "spu_id"), "spu_name": text(spu, "spu_name"),
            "user_gender": text(user, "gender"), "user_age": age,
            snapshotKey: snapshotKey(line: line, order: order),
        ])
    }

    /// Whole years from `birthday` to `day` (a birthday on 29 February counts from 1 March in other years).
    public static func wholeYears(from birthday: BusinessDate, to day: BusinessDate) -> Int {
        let years = day.year - birthday.year
        return (day.month, day.day) < (birthday.month, birthday.day) ? years - 1 : years
    }
}
