import PipelineCore

/// The shop's business traffic over the simulated days, as the transactions its application commits:
/// users registering and changing their profile, orders placed with their lines, paid, cancelled,
/// finished, refunded, edited and deleted, SKUs renamed and added (once a run, a SKU sold a few
/// transactions before its row is inserted). A discrete-event simulation: actions are scheduled on a
/// timeline and taken in time order against `ShopState`; each draws from a random stream of its own, so a
/// seed always gives the same transactions.
struct BusinessSimulation {
    /// What happened, for the run's summary line.
    struct Summary: Sendable {
        var usersRegistered = 0
        var profileChanges = 0
        var ordersPlaced = 0
        var linesPlaced = 0
        var payments = 0
        var cancellations = 0
        var finished = 0
        var refundsRequested = 0
        var refundsCompleted = 0
        var linesRemoved = 0
        var ordersDeleted = 0
        var skusRenamed = 0
        var skusAdded = 0
        /// The SKUs sold before their row existed, and the order that sold each.
        var skusSoldBeforeInsert: [(sku: Int, order: Int)] = []
    }

    struct Outcome: Sendable {
        var transactions: [SQLTransaction]
        /// The database's rows after the last transaction, by the simulation's own account.
        var finalState: ShopState
        var summary: Summary
    }

    enum Action {
        case registerUser
        case changeProfile
        /// `announcingSKU`: the order's first line sells a new SKU whose row is inserted a few transactions later.
        case placeOrder(announcingSKU: Bool)
        case pay(order: Int)
        case cancel(order: Int)
        case finish(order: Int)
        case requestRefund(order: Int)
        case completeRefund(order: Int)
        case removeLine(order: Int)
        case deleteOrder(order: Int)
        case renameSKU
        case addSKU
    }

    /// A SKU already sold but not inserted yet, and how many more transactions until it is.
    struct LateSKU {
        var sku: ShopState.SKU
        var order: Int
        var transactionsToWait: Int
    }

    let settings: BusinessSettings
    var state: ShopState
    var timeline = Timeline<(action: Action, rng: SplitMix64)>()
    var transactions: [SQLTransaction] = []
    var summary = Summary()
    var nextOrderID = 1
    var nextLineID = 1
    var nextSKUID: Int
    var lateSKU: LateSKU?
    /// Names SKUs had when added; a rename puts a tag after it.
    var baseNames: [Int: String] = [:]
    /// Transactions between selling the late SKU and inserting its row.
    static let lateSKUDelay = 3

    /// Runs the whole simulation.
    static func run(_ settings: BusinessSettings) -> Outcome {
        var simulation = BusinessSimulation(settings: settings)
        simulation.simulate()
        return Outcome(transactions: simulation.transactions, finalState: simulation.state, summary: simulation.summary)
    }

    private init(settings: BusinessSettings) {
        self.settings = settings
        let catalogTime = ShopDateTime(seconds: ShopDateTime(startOf: settings.startDate).seconds - 30 * ShopDateTime.secondsPerDay)
        state = ShopState(catalog: ShopCatalog.skus, catalogTime: catalogTime)
        nextSKUID = (ShopCatalog.skus.map(\.id).max() ?? 0) + 1
        for sku in ShopCatalog.skus { baseNames[sku.id] = sku.name }
    }

    private mutating func simulate() {
        var root = SplitMix64(seed: settings.seed ^ 0xB05_1E55_0D0E_5EED)
        var users = root.split()
        registerInitialUsers(rng: &users)
        var days = root.split()
        scheduleDays(rng: &days)
        while let (time, entry) = timeline.next() {
            var rng = entry.rng
            let before = transactions.count
            perform(entry.action, at: time, rng: &rng)
            if transactions.count > before { countDownLateSKU(at: time) }
        }
        if let late = lateSKU {   // the run ended before enough transactions followed: insert it last
            insertLateSKU(late, at: settings.end.adding(seconds: -1))
        }
    }

    /// Everything that happens of itself on each day: orders, registrations, profile changes, catalog changes.
    private mutating func scheduleDays(rng: inout SplitMix64) {
        for (index, date) in settings.dates.enumerated() {
            let start = ShopDateTime(startOf: date)
            func anyTime(_ rng: inout SplitMix64) -> ShopDateTime {
                start.adding(seconds: Int64(rng.below(Int(ShopDateTime.secondsPerDay))))
            }
            for _ in 0..<settings.ordersPerDay {
                let hour = rng.weightedIndex(settings.hourWeights)
                schedule(.placeOrder(announcingSKU: false), at: start.adding(seconds: Int64(hour * 3_600 + rng.below(3_600))),
                         rng: &rng)
            }
            for _ in 0..<max(1, settings.ordersPerDay / 10) { schedule(.registerUser, at: anyTime(&rng), rng: &rng) }
            for _ in 0..<max(1, settings.ordersPerDay / 8) { schedule(.changeProfile, at: anyTime(&rng), rng: &rng) }
            for _ in 0..<max(1, settings.ordersPerDay / 100) { schedule(.renameSKU, at: anyTime(&rng), rng: &rng) }
            schedule(.addSKU, at: anyTime(&rng), rng: &rng)
            if index == 0 {
                schedule(.placeOrder(announcingSKU: true), at: start.adding(seconds: 12 * 3_600 + Int64(rng.below(3_600))),
                         rng: &rng)
            }
        }
    }

    /// Puts `action` on the timeline with a random stream split from `rng`; nothing at or after the end.
    mutating func schedule(_ action: Action, at time: ShopDateTime, rng: inout SplitMix64) {
        let own = rng.split()
        guard time < settings.end else { return }
        timeline.schedule((action, own), at: time)
    }

    private mutating func perform(_ action: Action, at time: ShopDateTime, rng: inout SplitMix64) {
        switch action {
        case .registerUser: registerUser(at: time, rng: &rng)
        case .changeProfile: changeProfile(at: time, rng: &rng)
        case .placeOrder(let announcing): placeOrder(at: time, announcingSKU: announcing, rng: &rng)
        case .pay(let id): pay(id, at: time, rng: &rng)
        case .cancel(let id): cancel(id, at: time, rng: &rng)
        case .finish(let id): finish(id, at: time, rng: &rng)
        case .requestRefund(let id): requestRefund(id, at: time, rng: &rng)
        case .completeRefund(let id): completeRefund(id, at: time)
        case .removeLine(let id): removeLine(of: id, at: time, rng: &rng)
        case .deleteOrder(let id): deleteOrder(id)
        case .renameSKU: renameSKU(rng: &rng)
        case .addSKU: addSKU(at: time, rng: &rng)
        }
    }

    mutating func commit(_ purpose: String, _ statements: [String]) {
        transactions.append(SQLTransaction(purpose: purpose, statements: statements))
    }

    private mutating func countDownLateSKU(at time: ShopDateTime) {
        guard var late = lateSKU else { return }
        late.transactionsToWait -= 1
        lateSKU = late
        if late.transactionsToWait < 0 { insertLateSKU(late, at: time) }
    }

    private mutating func insertLateSKU(_ late: LateSKU, at time: ShopDateTime) {
        lateSKU = nil
        let sku = ShopState.SKU(id: late.sku.id, spu: late.sku.spu, price: late.sku.price, name: late.sku.name,
                                trademark: late.sku.trademark, category3: late.sku.category3, createTime: time)
        state.add(sku)
        summary.skusAdded += 1
        commit("sku \(sku.id): added, after order \(late.order) already sold it", [ShopStatements.insertSKU(sku)])
    }
}

extension SplitMix64 {
    /// An index of `weights` (non-negative, not all zero), chosen with probability proportional to its weight.
    mutating func weightedIndex(_ weights: [Int]) -> Int {
        var draw = below(weights.reduce(0, +))
        for (index, weight) in weights.enumerated() {
            if draw < weight { return index }
            draw -= weight
        }
        return weights.count - 1
    }
}
