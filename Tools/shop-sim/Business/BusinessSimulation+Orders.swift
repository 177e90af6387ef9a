import PipelineCore

/// Orders: placing one with its lines, and what may follow (payment, cancellation, completion, refund,
/// a line removed before payment, deletion).
extension BusinessSimulation {
    static let minute: Int64 = 60
    static let hour: Int64 = 3_600

    /// Places an order of 1 to 5 distinct SKUs for a registered user, then schedules its future: paid
    /// (72%) within 10 to 40 minutes, cancelled (14%) after 30 minutes to 2 hours, or left unpaid; now and
    /// then a line removed before payment, or the order deleted.
    mutating func placeOrder(at time: ShopDateTime, announcingSKU: Bool, rng: inout SplitMix64) {
        guard state.userCount > 0 else { return }
        let userID = rng.between(1...state.userCount)
        let provinceID = ShopCatalog.provinceIDs[rng.weightedIndex(settings.provinceWeights)]
        var lineCount = min(rng.weightedIndex(settings.lineCountWeights) + 1, state.availableSKUs.count)
        var skus: [ShopState.SKU] = []
        if announcingSKU {
            let sku = newSKU(at: time, rng: &rng)
            skus.append(sku)
            lineCount = max(lineCount, 2)
        }
        var choices = state.availableSKUs
        while skus.count < lineCount {
            let index = rng.below(choices.count)
            skus.append(state.skus[choices[index]]!)
            choices.remove(at: index)
        }
        let items = skus.map { sku in
            OrderPricing.Item(price: sku.price, quantity: Int64(rng.weightedIndex([75, 18, 7]) + 1))
        }
        let pricing = Self.price(items, rng: &rng)
        let lines = zip(skus, zip(items, pricing.lines)).map { sku, priced -> ShopState.OrderLine in
            defer { nextLineID += 1 }
            return ShopState.OrderLine(id: nextLineID, skuID: sku.id, skuName: sku.name, price: priced.0.price,
                                       quantity: priced.0.quantity, split: priced.1)
        }
        let user = state.user(userID)
        let order = ShopState.Order(id: nextOrderID, consignee: rng.chance(percent: 70) ? user.name : PersonNames.fullName(rng: &rng),
                                    userID: userID, provinceID: provinceID, status: .unpaid, totals: pricing.totals,
                                    createTime: time, operateTime: nil, lines: lines)
        nextOrderID += 1
        state.add(order)
        summary.ordersPlaced += 1
        summary.linesPlaced += lines.count
        if announcingSKU {
            lateSKU = LateSKU(sku: skus[0], order: order.id, transactionsToWait: Self.lateSKUDelay)
            summary.skusSoldBeforeInsert.append((skus[0].id, order.id))
        }
        commit("order \(order.id): placed with \(lines.count) line\(lines.count == 1 ? "" : "s")"
                + (announcingSKU ? ", the first of SKU \(skus[0].id) not inserted yet" : ""),
               [ShopStatements.insertOrder(order)] + lines.map { ShopStatements.insertLine($0, of: order) })

        // The order selling a SKU before its row exists is kept whole and paid, so that its line stays to the end.
        if !announcingSKU && lines.count >= 2 && rng.chance(percent: 5) {
            schedule(.removeLine(order: order.id), at: time.adding(seconds: rng.between(1...9).asSeconds * Self.minute), rng: &rng)
        }
        let outcome = announcingSKU ? 0 : rng.below(100)
        if outcome < 72 {
            schedule(.pay(order: order.id), at: time.adding(seconds: rng.between(600...2_400).asSeconds), rng: &rng)
        } else if outcome < 86 {
            schedule(.cancel(order: order.id), at: time.adding(seconds: rng.between(1_800...7_200).asSeconds), rng: &rng)
        } else if rng.chance(percent: 10) {
            schedule(.deleteOrder(order: order.id), at: time.adding(seconds: rng.between(3_600...86_400).asSeconds), rng: &rng)
        }
    }

    /// Prices the items: an activity discount of 5-15% on 30% of orders, a coupon of 5 to 50 yuan on 20%
    /// (at most half of what is left), freight of 6-12 yuan under 99 yuan, else 5-15 yuan on 10% of orders.
    static func price(_ items: [OrderPricing.Item], rng: inout SplitMix64) -> OrderPricing {
        let original = items.map(\.originalAmount).sum()
        let activity = rng.chance(percent: 30) ? Cents(original.value * Int64(rng.between(5...15)) / 100) : .zero
        var coupon = Cents.zero
        if rng.chance(percent: 20) {
            coupon = min(Cents(yuan: rng.pick([5, 10, 20, 30, 50])), Cents((original - activity).value / 2))
        }
        var fee = Cents.zero
        if original < Cents(yuan: 99) {
            fee = Cents(yuan: Int64(rng.between(6...12)))
        } else if rng.chance(percent: 10) {
            fee = Cents(yuan: Int64(rng.between(5...15)))
        }
        return OrderPricing(items: items, activityReduce: activity, couponReduce: coupon, feightFee: fee)
    }

    /// Unpaid → paid; then finished within 2 to 30 hours (85%), or, rarely, deleted.
    mutating func pay(_ id: Int, at time: ShopDateTime, rng: inout SplitMix64) {
        guard change(id, from: .unpaid, to: .paid, at: time, purpose: "paid") else { return }
        summary.payments += 1
        if rng.chance(percent: 1) && !summary.skusSoldBeforeInsert.contains(where: { $0.order == id }) {
            schedule(.deleteOrder(order: id), at: time.adding(seconds: rng.between(60...3_600).asSeconds), rng: &rng)
        } else if rng.chance(percent: 85) {
            schedule(.finish(order: id), at: time.adding(seconds: rng.between(2 * 3_600...30 * 3_600).asSeconds), rng: &rng)
        }
    }

    /// Unpaid → cancelled; a fifth of cancelled orders are deleted within a day.
    mutating func cancel(_ id: Int, at time: ShopDateTime, rng: inout SplitMix64) {
        guard change(id, from: .unpaid, to: .cancelled, at: time, purpose: "cancelled") else { return }
        summary.cancellations += 1
        if rng.chance(percent: 20) {
            schedule(.deleteOrder(order: id), at: time.adding(seconds: rng.between(600...86_400).asSeconds), rng: &rng)
        }
    }

    /// Paid → finished; 5% then ask for a refund within 1 to 12 hours.
    mutating func finish(_ id: Int, at time: ShopDateTime, rng: inout SplitMix64) {
        guard change(id, from: .paid, to: .finished, at: time, purpose: "finished") else { return }
        summary.finished += 1
        if rng.chance(percent: 5) {
            schedule(.requestRefund(order: id), at: time.adding(seconds: rng.between(3_600...12 * 3_600).asSeconds), rng: &rng)
        }
    }

    /// Finished → refunding; refunded 1 to 6 hours later.
    mutating func requestRefund(_ id: Int, at time: ShopDateTime, rng: inout SplitMix64) {
        guard change(id, from: .finished, to: .refunding, at: time, purpose: "refund requested") else { return }
        summary.refundsRequested += 1
        schedule(.completeRefund(order: id), at: time.adding(seconds: rng.between(3_600...6 * 3_600).asSeconds), rng: &rng)
    }

    mutating func completeRefund(_ id: Int, at time: ShopDateTime) {
        guard change(id, from: .refunding, to: .refunded, at: time, purpose: "refunded") else { return }
        summary.refundsCompleted += 1
    }

    /// Before payment, the buyer removes one line of an order of two or more; the order's amounts lose
    /// the line's original amount and shares, so the remaining lines still add up to its total.
    mutating func removeLine(of id: Int, at time: ShopDateTime, rng: inout SplitMix64) {
        guard var order = state.orders[id], order.status == .unpaid, order.lines.count >= 2 else { return }
        let line = order.lines.remove(at: rng.below(order.lines.count))
        order.totals = order.totals.removing(lineOriginal: line.originalAmount, split: line.split)
        order.operateTime = time
        state.update(order)
        summary.linesRemoved += 1
        commit("order \(id): line \(line.id) removed", [ShopStatements.deleteLine(id: line.id), ShopStatements.updateAmounts(order)])
    }

    /// The order and its lines are deleted.
    mutating func deleteOrder(_ id: Int) {
        guard state.orders[id] != nil else { return }
        state.remove(order: id)
        summary.ordersDeleted += 1
        commit("order \(id): deleted with its lines", [ShopStatements.deleteLines(ofOrder: id), ShopStatements.deleteOrder(id: id)])
    }

    /// Moves an order from one status to another, if it still exists and is in `from`.
    private mutating func change(_ id: Int, from: OrderStatus, to: OrderStatus, at time: ShopDateTime, purpose: String) -> Bool {
        guard var order = state.orders[id], order.status == from else { return false }
        order.status = to
        order.operateTime = time
        state.update(order)
        commit("order \(id): \(purpose)", [ShopStatements.updateStatus(order)])
        return true
    }
}

private extension Int {
    var asSeconds: Int64 { Int64(self) }
}
