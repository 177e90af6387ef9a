import PipelineCore

/// The answers by SQL queries against the final database: the oracle of `--business-expected`, independent
/// of the pipeline and of the simulation's own bookkeeping. The database aggregates (GROUP BY, exact
/// DECIMAL sums); Swift only files the rows.
extension BusinessAnswers {
    init(querying client: MariaDBClient, dates: [CivilDate]) throws(ShopDatabaseError) {
        self.init(dates: dates)
        guard let first = dates.first, let last = dates.last else { return }
        let counted = "o.order_status <> '1003' AND o.create_time >= '\(first) 00:00:00' "
            + "AND o.create_time < '\(last.adding(days: 1)) 00:00:00'"
        let day = "DATE_FORMAT(o.create_time, '%Y-%m-%d')"
        let rows = Rows(client: client)

        for row in try rows.of("""
            SELECT \(day), COUNT(*), SUM(o.total_amount), COUNT(DISTINCT o.user_id), \
            SUM(o.order_status IN ('1002', '1004')), \
            COALESCE(SUM(CASE WHEN o.order_status IN ('1002', '1004') THEN o.total_amount END), 0) \
            FROM order_info o WHERE \(counted) GROUP BY 1
            """, purpose: "expected answers, orders per day") {
            let (orders, amount, buyers) = (try row.int(1), try row.cents(2), try row.int(3))
            let (paidOrders, paidAmount) = (try row.int(4), try row.cents(5))
            try update(row, 0) { day in
                day.orders = orders
                day.orderAmount = amount
                day.buyers = buyers
                day.paidOrders = paidOrders
                day.paidAmount = paidAmount
            }
        }
        for row in try rows.of("""
            SELECT \(day), HOUR(o.create_time), COUNT(*), SUM(o.total_amount) FROM order_info o \
            WHERE \(counted) GROUP BY 1, 2
            """, purpose: "expected answers, orders per hour") {
            let hour = try row.int(1)
            guard (0..<24).contains(hour) else { throw row.unexpected("hour \(hour)") }
            let figure = OrderFigure(orders: try row.int(2), amount: try row.cents(3))
            try update(row, 0) { day in day.byHour[hour] = figure }
        }
        for row in try rows.of("""
            SELECT \(day), o.province_id, COUNT(*), SUM(o.total_amount) FROM order_info o \
            WHERE \(counted) AND o.province_id IS NOT NULL GROUP BY 1, 2
            """, purpose: "expected answers, orders per province") {
            let (province, figure) = (try row.int(1), OrderFigure(orders: try row.int(2), amount: try row.cents(3)))
            try update(row, 0) { day in day.byProvince[province] = figure }
        }
        let lines = """
            FROM order_detail d JOIN order_info o ON o.id = d.order_id \
            JOIN sku_info s ON s.id = d.sku_id JOIN base_category3 c3 ON c3.id = s.category3_id \
            JOIN base_category2 c2 ON c2.id = c3.category2_id JOIN base_category1 c1 ON c1.id = c2.category1_id
            """
        for (level, column) in [(1, "c1.id"), (2, "c2.id"), (3, "c3.id")] {
            for row in try rows.of("""
                SELECT \(day), \(column), SUM(d.sku_num), SUM(d.split_total_amount) \(lines) \
                WHERE \(counted) GROUP BY 1, 2
                """, purpose: "expected answers, lines per level-\(level) category") {
                let figure = LineFigure(quantity: Int64(try row.int(2)), amount: try row.cents(3), orders: 0)
                let id = try row.int(1)
                try update(row, 0) { day in
                    switch level {
                    case 1: day.byCategory1[id] = figure
                    case 2: day.byCategory2[id] = figure
                    default: day.byCategory3[id] = figure
                    }
                }
            }
        }
        for row in try rows.of("""
            SELECT \(day), d.sku_id, SUM(d.sku_num), SUM(d.split_total_amount), COUNT(DISTINCT d.order_id) \
            FROM order_detail d JOIN order_info o ON o.id = d.order_id WHERE \(counted) GROUP BY 1, 2
            """, purpose: "expected answers, lines per SKU") {
            let figure = LineFigure(quantity: Int64(try row.int(2)), amount: try row.cents(3), orders: try row.int(4))
            let id = try row.int(1)
            try update(row, 0) { day in day.bySKU[id] = figure }
        }
    }

    /// Changes the day named in column `column` of `row`.
    private mutating func update(_ row: Row, _ column: Int,
                                 _ change: (inout Day) -> Void) throws(ShopDatabaseError) {
        let text = try row.text(column)
        guard let date = BusinessDate(text).map(CivilDate.init), var day = days[date] else {
            throw row.unexpected("day '\(text)' outside the simulated days")
        }
        change(&day)
        days[date] = day
    }
}

/// A query's rows with typed access to their columns; a value that does not parse names the query.
private struct Rows {
    let client: MariaDBClient

    func of(_ sql: String, purpose: String) throws(ShopDatabaseError) -> [Row] {
        try client.query(sql, purpose: purpose).map { Row(values: $0, purpose: purpose) }
    }
}

private struct Row {
    let values: [String?]
    let purpose: String

    func text(_ column: Int) throws(ShopDatabaseError) -> String {
        guard values.indices.contains(column), let value = values[column] else { throw unexpected("no value in column \(column + 1)") }
        return value
    }

    func int(_ column: Int) throws(ShopDatabaseError) -> Int {
        let value = try text(column)
        guard let number = Int(value) else { throw unexpected("'\(value)' in column \(column + 1) is not an integer") }
        return number
    }

    func cents(_ column: Int) throws(ShopDatabaseError) -> Cents {
        let value = try text(column)
        guard let amount = Cents(decimal: value) else { throw unexpected("'\(value)' in column \(column + 1) is not an amount") }
        return amount
    }

    func unexpected(_ what: String) -> ShopDatabaseError {
        ShopDatabaseError(purpose: purpose, detail: "unexpected answer: \(what) in row \(values.map { $0 ?? "NULL" })")
    }
}
