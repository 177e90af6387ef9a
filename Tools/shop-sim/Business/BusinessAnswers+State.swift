/// The answers by the simulation's own account of the final database: a second oracle, computed in Swift
/// from `ShopState`, that the SQL answers are checked against (and the only one in a dry run).
extension BusinessAnswers {
    init(state: ShopState, dates: [CivilDate]) {
        self.init(dates: dates)
        var buyers: [CivilDate: Set<Int>] = [:]
        for order in state.orders.values where order.status.counts {
            let date = order.createTime.date
            guard var day = days[date] else { continue }
            day.orders += 1
            day.orderAmount += order.totals.total
            buyers[date, default: []].insert(order.userID)
            if order.status.isPaid {
                day.paidOrders += 1
                day.paidAmount += order.totals.total
            }
            day.byHour[order.createTime.hour].orders += 1
            day.byHour[order.createTime.hour].amount += order.totals.total
            day.byProvince[order.provinceID, default: OrderFigure()].orders += 1
            day.byProvince[order.provinceID, default: OrderFigure()].amount += order.totals.total
            var skusInOrder: Set<Int> = []
            for line in order.lines {
                day.bySKU[line.skuID, default: LineFigure()].add(line)
                if skusInOrder.insert(line.skuID).inserted { day.bySKU[line.skuID]!.orders += 1 }
                guard let category3 = state.skus[line.skuID]?.category3,
                      let category2 = ShopCatalog.category2OfCategory3[category3],
                      let category1 = ShopCatalog.category1OfCategory2[category2] else { continue }
                day.byCategory3[category3, default: LineFigure()].add(line)
                day.byCategory2[category2, default: LineFigure()].add(line)
                day.byCategory1[category1, default: LineFigure()].add(line)
            }
            days[date] = day
        }
        for (date, users) in buyers { days[date]?.buyers = users.count }
    }
}

private extension BusinessAnswers.LineFigure {
    mutating func add(_ line: ShopState.OrderLine) {
        quantity += line.quantity
        amount += line.split.total
    }
}
