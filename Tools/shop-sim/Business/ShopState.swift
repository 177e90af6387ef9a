/// The rows of the shop's database as the simulation has written them so far: users, SKUs, orders and
/// their lines (deleted rows removed). The simulation decides from it and renders its SQL from it; at the
/// end it is the simulator's own account of the final database.
struct ShopState: Sendable {
    struct User: Sendable {
        let id: Int
        var loginName: String
        var name: String
        let gender: String?
        let birthday: CivilDate?
        var level: String
        let createTime: ShopDateTime
        var operateTime: ShopDateTime?
    }

    struct SKU: Sendable {
        let id: Int
        let spu: Int
        let price: Cents
        var name: String
        let trademark: Int
        let category3: Int
        let createTime: ShopDateTime
    }

    struct OrderLine: Sendable {
        let id: Int
        let skuID: Int
        /// The SKU's name when ordered (`order_detail.sku_name`); later renames of the SKU leave it.
        let skuName: String
        let price: Cents
        let quantity: Int64
        let split: OrderPricing.LineSplit

        var originalAmount: Cents { price * quantity }
    }

    struct Order: Sendable {
        let id: Int
        let consignee: String
        let userID: Int
        let provinceID: Int
        var status: OrderStatus
        var totals: OrderPricing.Totals
        let createTime: ShopDateTime
        var operateTime: ShopDateTime?
        var lines: [OrderLine]
    }

    /// Users by id; ids are 1...users.count, none is ever deleted.
    private(set) var users: [User] = []
    private(set) var skus: [Int: SKU] = [:]
    /// SKUs that orders may reference, in the order they became available.
    private(set) var availableSKUs: [Int] = []
    private(set) var orders: [Int: Order] = [:]

    init(catalog: [ShopCatalog.SKU], catalogTime: ShopDateTime) {
        for sku in catalog {
            let spu = ShopCatalog.spuByID[sku.spu]!
            add(SKU(id: sku.id, spu: sku.spu, price: sku.price, name: sku.name, trademark: spu.trademark,
                    category3: spu.category3, createTime: catalogTime))
        }
    }

    var userCount: Int { users.count }

    func user(_ id: Int) -> User { users[id - 1] }

    mutating func add(_ user: User) {
        precondition(user.id == users.count + 1, "user ids are consecutive")
        users.append(user)
    }

    mutating func update(_ user: User) {
        users[user.id - 1] = user
    }

    /// Adds a SKU row; it is available to orders from now on.
    mutating func add(_ sku: SKU) {
        skus[sku.id] = sku
        availableSKUs.append(sku.id)
    }

    mutating func rename(sku id: Int, to name: String) {
        skus[id]?.name = name
    }

    mutating func add(_ order: Order) {
        orders[order.id] = order
    }

    mutating func update(_ order: Order) {
        orders[order.id] = order
    }

    mutating func remove(order id: Int) {
        orders[id] = nil
    }
}
