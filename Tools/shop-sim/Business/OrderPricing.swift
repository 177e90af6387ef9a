/// The amounts of an order and of each of its lines, as gmall keeps them: the order's
/// `total_amount = original_total_amount - activity_reduce_amount - coupon_reduce_amount + feight_fee`,
/// and each line's `split_total_amount` its share of that total, so that the lines' shares add up to the
/// order's total exactly (the reductions and the fee are split with `AmountSplit`, in proportion to the
/// lines' original amounts).
struct OrderPricing: Equatable, Sendable {
    /// One line as ordered: unit price and quantity.
    struct Item: Equatable, Sendable {
        var price: Cents
        var quantity: Int64

        var originalAmount: Cents { price * quantity }
    }

    /// A line's shares of the order's amounts.
    struct LineSplit: Equatable, Sendable {
        var activity: Cents
        var coupon: Cents
        var fee: Cents
        /// `original - activity - coupon + fee`.
        var total: Cents
    }

    var originalTotal: Cents
    var activityReduce: Cents
    var couponReduce: Cents
    var feightFee: Cents
    var total: Cents
    var lines: [LineSplit]

    /// Prices `items` (at least one, each with a positive amount) with these order-level reductions and fee;
    /// the reductions together must not exceed the original amount.
    init(items: [Item], activityReduce: Cents, couponReduce: Cents, feightFee: Cents) {
        let originals = items.map(\.originalAmount)
        originalTotal = originals.sum()
        precondition(activityReduce + couponReduce <= originalTotal, "reductions above the order's amount")
        self.activityReduce = activityReduce
        self.couponReduce = couponReduce
        self.feightFee = feightFee
        total = originalTotal - activityReduce - couponReduce + feightFee
        let activities = AmountSplit.proportional(activityReduce, weights: originals)
        let coupons = AmountSplit.proportional(couponReduce, weights: originals)
        let fees = AmountSplit.proportional(feightFee, weights: originals)
        lines = originals.indices.map { index in
            LineSplit(activity: activities[index], coupon: coupons[index], fee: fees[index],
                      total: originals[index] - activities[index] - coupons[index] + fees[index])
        }
    }

    /// The five order-level amounts.
    struct Totals: Equatable, Sendable {
        var originalTotal: Cents
        var activityReduce: Cents
        var couponReduce: Cents
        var feightFee: Cents
        var total: Cents

        /// The figures once a line (its original amount and its shares) leaves the order: the other lines
        /// keep their shares, so they still add up to the new total.
        func removing(lineOriginal: Cents, split: LineSplit) -> Totals {
            Totals(originalTotal: originalTotal - lineOriginal, activityReduce: activityReduce - split.activity,
                   couponReduce: couponReduce - split.coupon, feightFee: feightFee - split.fee, total: total - split.total)
        }
    }

    var totals: Totals {
        Totals(originalTotal: originalTotal, activityReduce: activityReduce, couponReduce: couponReduce,
               feightFee: feightFee, total: total)
    }
}
