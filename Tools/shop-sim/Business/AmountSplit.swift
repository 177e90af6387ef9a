/// Splits an order-level amount (a reduction, the freight fee) over the order's lines in proportion to
/// their weights (the lines' original amounts), to the cent: each line gets the floor of its exact share,
/// and the cents left over go one each to the lines with the largest remainders (ties: the earlier line),
/// so that the parts always add up to the amount exactly.
enum AmountSplit {
    /// The parts of `amount` (≥ 0) for `weights` (each ≥ 0, at least one > 0), in the weights' order.
    static func proportional(_ amount: Cents, weights: [Cents]) -> [Cents] {
        precondition(amount.value >= 0 && !weights.isEmpty && weights.allSatisfy { $0.value >= 0 })
        let total = weights.reduce(Int64(0)) { $0 + $1.value }
        precondition(total > 0, "no weight to split over")
        var parts: [Int64] = []
        var remainders: [(remainder: Int64, index: Int)] = []
        for (index, weight) in weights.enumerated() {
            // amount × weight / total without overflow: both factors are below 2^63, the product fits 128 bits.
            let product = amount.value.multipliedFullWidth(by: weight.value)
            let (quotient, remainder) = total.dividingFullWidth(product)
            parts.append(quotient)
            remainders.append((remainder, index))
        }
        var left = amount.value - parts.reduce(0, +)
        remainders.sort { ($0.remainder, -$0.index) > ($1.remainder, -$1.index) }
        for entry in remainders where left > 0 {
            parts[entry.index] += 1
            left -= 1
        }
        return parts.map { Cents($0) }
    }
}
