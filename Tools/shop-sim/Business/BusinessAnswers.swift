import PipelineCore

/// The answers the pipeline must give for the business data, per simulated day (`--business-expected`):
/// order counts and amounts, by hour and province, and line quantities and amounts by category level and
/// SKU. An order counts unless it is cancelled (1003) or deleted; it is paid when 1002 or 1004; its day
/// and hour are those written in its `create_time`. A line counts when its order counts.
struct BusinessAnswers: Equatable, Sendable {
    /// Orders and their amount (an hour, a province).
    struct OrderFigure: Equatable, Sendable {
        var orders = 0
        var amount = Cents.zero
    }

    /// Lines of a category or SKU: quantity, amount and (for SKUs only; 0 for categories) the number of
    /// distinct orders.
    struct LineFigure: Equatable, Sendable {
        var quantity: Int64 = 0
        var amount = Cents.zero
        var orders = 0
    }

    struct Day: Equatable, Sendable {
        var orders = 0
        var orderAmount = Cents.zero
        var buyers = 0
        var paidOrders = 0
        var paidAmount = Cents.zero
        var byHour = Array(repeating: OrderFigure(), count: 24)
        var byProvince: [Int: OrderFigure] = [:]
        var byCategory1: [Int: LineFigure] = [:]
        var byCategory2: [Int: LineFigure] = [:]
        var byCategory3: [Int: LineFigure] = [:]
        var bySKU: [Int: LineFigure] = [:]
    }

    /// Every simulated day, with zeros for a day without orders.
    var days: [CivilDate: Day]

    /// Answers of all zeros for `dates`.
    init(dates: [CivilDate]) {
        days = Dictionary(uniqueKeysWithValues: dates.map { ($0, Day()) })
    }

    /// How many SKUs the top lists hold.
    static let topSKUs = 10

    /// The expected file: `{"days": {"yyyy-MM-dd": {...}}}` with sorted keys and amounts as strings with two
    /// decimals; lists sorted by amount (or quantity) descending, ties by id ascending.
    var json: [UInt8] {
        var members: [String: JSONValue] = [:]
        for (date, day) in days { members[date.description] = Self.json(day) }
        return JSONCodec.serialize(.object(["days": .object(members)])) + [UInt8(ascii: "\n")]
    }

    private static func json(_ day: Day) -> JSONValue {
        func int(_ n: Int) -> JSONValue { .integer(Int64(n)) }
        func amount(_ cents: Cents) -> JSONValue { .string(cents.description) }
        let provinces = day.byProvince.sorted { ($1.value.amount, $0.key) < ($0.value.amount, $1.key) }
        func categories(_ figures: [Int: LineFigure]) -> JSONValue {
            .array(figures.sorted { ($1.value.amount, $0.key) < ($0.value.amount, $1.key) }.map { id, figure in
                .object(["id": int(id), "quantity": .integer(figure.quantity), "amount": amount(figure.amount)])
            })
        }
        func skus(_ entries: [(key: Int, value: LineFigure)]) -> JSONValue {
            .array(entries.prefix(topSKUs).map { id, figure in
                .object(["sku_id": int(id), "quantity": .integer(figure.quantity), "amount": amount(figure.amount),
                         "orders": int(figure.orders)])
            })
        }
        return .object([
            "orders": int(day.orders),
            "order_amount": amount(day.orderAmount),
            "buyers": int(day.buyers),
            "paid_orders": int(day.paidOrders),
            "paid_amount": amount(day.paidAmount),
            "by_hour": .array(day.byHour.enumerated().map { hour, figure in
                .object(["hour": int(hour), "orders": int(figure.orders), "order_amount": amount(figure.amount)])
            }),
            "by_province": .array(provinces.map { id, figure in
                .object(["province_id": int(id), "orders": int(figure.orders), "order_amount": amount(figure.amount)])
            }),
            "by_category1": categories(day.byCategory1),
            "by_category2": categories(day.byCategory2),
            "by_category3": categories(day.byCategory3),
            "top_skus_by_amount": skus(day.bySKU.sorted { ($1.value.amount, $0.key) < ($0.value.amount, $1.key) }),
            "top_skus_by_quantity": skus(day.bySKU.sorted { ($1.value.quantity, $0.key) < ($0.value.quantity, $1.key) }),
        ])
    }

    /// Where two sets of answers differ, one line per day and figure, for an error message.
    func differences(from other: BusinessAnswers) -> [String] {
        var lines: [String] = []
        for date in Set(days.keys).union(other.days.keys).sorted() {
            guard let mine = days[date], let theirs = other.days[date] else {
                lines.append("\(date): present in one only")
                continue
            }
            let figures: [(String, Bool)] = [
                ("orders", mine.orders == theirs.orders), ("order_amount", mine.orderAmount == theirs.orderAmount),
                ("buyers", mine.buyers == theirs.buyers), ("paid_orders", mine.paidOrders == theirs.paidOrders),
                ("paid_amount", mine.paidAmount == theirs.paidAmount), ("by_hour", mine.byHour == theirs.byHour),
                ("by_province", mine.byProvince == theirs.byProvince), ("by_category1", mine.byCategory1 == theirs.byCategory1),
                ("by_category2", mine.byCategory2 == theirs.byCategory2), ("by_category3", mine.byCategory3 == theirs.byCategory3),
                ("skus", mine.bySKU == theirs.bySKU),
            ]
            for (name, same) in figures where !same { lines.append("\(date): \(name) differs") }
        }
        return lines
    }
}
