/// `GET /v1/realtime`: the dashboard's figures for a day and the day before, in one answer.
public struct Realtime: Codable, Sendable, Equatable {
    public struct Hour: Codable, Sendable, Equatable {
        public var hour: Int
        public var dau: Int
        public var orders: Int64
        public var orderAmount: String
    }
    public struct Day: Codable, Sendable, Equatable {
        public var dau: Int
        public var newDevices: Int
        public var orders: Int64
        public var orderAmount: String
        public var paidAmount: String
        public var byHour: [Hour]

        public init(dau: DauAnswer, orders: OrderQueries.Summary) {
            self.dau = dau.dau
            newDevices = dau.newDevices
            self.orders = orders.orders
            orderAmount = orders.orderAmount
            paidAmount = orders.paidAmount
            byHour = (0..<24).map { Hour(hour: $0, dau: dau.byHour[$0], orders: orders.byHour[$0].orders, orderAmount: orders.byHour[$0].orderAmount) }
        }
    }
    public var date: String
    public var dayBefore: String
    public var today: Day
    public var yesterday: Day

    public init(date: BusinessDate, today: Day, yesterday: Day) {
        self.date = date.description
        dayBefore = date.dayBefore.description
        self.today = today
        self.yesterday = yesterday
    }
}

extension BusinessDate {
    /// The calendar day before this one.
    public var dayBefore: BusinessDate {
        if day > 1 { return BusinessDate(year: year, month: month, day: day - 1) }
        if month > 1 { return BusinessDate(year: year, month: month - 1, day: Self.daysIn(month: month - 1, year: year)) }
        return BusinessDate(year: year - 1, month: 12, day: 31)
    }
}
