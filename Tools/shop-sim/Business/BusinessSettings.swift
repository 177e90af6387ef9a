/// What business traffic to simulate: which days, how many orders a day, from which seed.
struct BusinessSettings: Sendable {
    var seed: UInt64
    var startDate: CivilDate
    var days: Int
    /// Orders placed per simulated day (`--orders-per-day`).
    var ordersPerDay: Int

    /// Users registered before the first simulated day, in the first transactions: the ids the behaviour
    /// logs' devices log in as.
    var initialUsers = Device.userIDs.upperBound
    /// Initial users per transaction (in INSERTs of 100 rows).
    var usersPerTransaction = 500
    /// Lines an order has: 1 to 5, with these weights.
    var lineCountWeights = [45, 25, 15, 10, 5]
    /// Orders placed per hour of the day, relative.
    var hourWeights = [2, 1, 1, 1, 1, 2, 3, 5, 6, 7, 8, 9, 10, 9, 8, 8, 8, 9, 10, 12, 14, 14, 10, 5]
    /// Orders placed per province id 1...34, relative (more in the populous ones).
    var provinceWeights = [8, 4, 3, 2, 5, 8, 8, 8, 4, 4, 3, 7, 4, 1, 3, 2, 4, 4, 2, 1, 1, 2, 6, 5, 5, 10,
                           3, 1, 1, 1, 6, 2, 3, 1]

    /// The simulated business days, in order.
    var dates: [CivilDate] { (0..<days).map { startDate.adding(days: $0) } }

    /// The first second after the simulated days; nothing happens from then on.
    var end: ShopDateTime { ShopDateTime(startOf: startDate.adding(days: days)) }
}
