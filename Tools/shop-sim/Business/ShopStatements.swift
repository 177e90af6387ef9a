/// The statements the shop's application runs, one function per kind of change, rendered from the rows of
/// `ShopState` (gmall's column names).
enum ShopStatements {
    typealias L = SQLLiteral

    static func insertUsers(_ users: [ShopState.User]) -> String {
        "INSERT INTO user_info (id, login_name, name, gender, birthday, user_level, create_time, operate_time) VALUES "
            + users.map { user in
                "(\(user.id), \(L.string(user.loginName)), \(L.string(user.name)), \(L.string(user.gender)), "
                    + "\(L.date(user.birthday)), \(L.string(user.level)), \(L.dateTime(user.createTime)), "
                    + "\(L.dateTime(user.operateTime)))"
            }.joined(separator: ", ")
    }

    /// A profile change: login name, name and level only (gender and birthday never change).
    static func updateProfile(_ user: ShopState.User) -> String {
        "UPDATE user_info SET login_name = \(L.string(user.loginName)), name = \(L.string(user.name)), "
            + "user_level = \(L.string(user.level)), operate_time = \(L.dateTime(user.operateTime)) WHERE id = \(user.id)"
    }

    static func insertSKU(_ sku: ShopState.SKU) -> String {
        "INSERT INTO sku_info (id, spu_id, price, sku_name, tm_id, category3_id, create_time) VALUES "
            + "(\(sku.id), \(sku.spu), \(sku.price.wholeYuan), \(L.string(sku.name)), \(sku.trademark), "
            + "\(sku.category3), \(L.dateTime(sku.createTime)))"
    }

    static func renameSKU(id: Int, to name: String) -> String {
        "UPDATE sku_info SET sku_name = \(L.string(name)) WHERE id = \(id)"
    }

    static func insertOrder(_ order: ShopState.Order) -> String {
        let t = order.totals
        return "INSERT INTO order_info (id, consignee, user_id, province_id, order_status, total_amount, "
            + "original_total_amount, activity_reduce_amount, coupon_reduce_amount, feight_fee, create_time, "
            + "operate_time) VALUES (\(order.id), \(L.string(order.consignee)), \(order.userID), \(order.provinceID), "
            + "\(L.string(order.status.rawValue)), \(L.decimal(t.total)), \(L.decimal(t.originalTotal)), "
            + "\(L.decimal(t.activityReduce)), \(L.decimal(t.couponReduce)), \(L.decimal(t.feightFee)), "
            + "\(L.dateTime(order.createTime)), \(L.dateTime(order.operateTime)))"
    }

    static func insertLine(_ line: ShopState.OrderLine, of order: ShopState.Order) -> String {
        "INSERT INTO order_detail (id, order_id, sku_id, sku_name, order_price, sku_num, create_time, "
            + "split_total_amount, split_activity_amount, split_coupon_amount) VALUES (\(line.id), \(order.id), "
            + "\(line.skuID), \(L.string(line.skuName)), \(L.decimal(line.price)), \(line.quantity), "
            + "\(L.dateTime(order.createTime)), \(L.decimal(line.split.total)), \(L.decimal(line.split.activity)), "
            + "\(L.decimal(line.split.coupon)))"
    }

    static func updateStatus(_ order: ShopState.Order) -> String {
        "UPDATE order_info SET order_status = \(L.string(order.status.rawValue)), "
            + "operate_time = \(L.dateTime(order.operateTime)) WHERE id = \(order.id)"
    }

    static func updateAmounts(_ order: ShopState.Order) -> String {
        let t = order.totals
        return "UPDATE order_info SET total_amount = \(L.decimal(t.total)), original_total_amount = "
            + "\(L.decimal(t.originalTotal)), activity_reduce_amount = \(L.decimal(t.activityReduce)), "
            + "coupon_reduce_amount = \(L.decimal(t.couponReduce)), feight_fee = \(L.decimal(t.feightFee)), "
            + "operate_time = \(L.dateTime(order.operateTime)) WHERE id = \(order.id)"
    }

    static func deleteLine(id: Int) -> String {
        "DELETE FROM order_detail WHERE id = \(id)"
    }

    static func deleteLines(ofOrder id: Int) -> String {
        "DELETE FROM order_detail WHERE order_id = \(id)"
    }

    static func deleteOrder(id: Int) -> String {
        "DELETE FROM order_info WHERE id = \(id)"
    }
}
