extension JavaFormat {
    /// `new DecimalFormat("0.###…")` (`maximumFractionDigits` '#'s, '.' as separator, English symbols) formatting
    /// `value`, as JDK 9–25 do it: plain digits, HALF_EVEN rounding of the digits `FloatingDecimal` produces for the
    /// double (JDK-7131459 tie rule), no exponent, `-` kept on values that round to zero (`-0`), `NaN`, `∞`.
    /// JTS 1.13's `WKTWriter` prints every ordinate this way with 16 fraction digits.
    static func decimalFormat(_ value: Double, maximumFractionDigits: Int) -> String {
        if value.isNaN { return "NaN" }
        let sign = value.sign == .minus ? "-" : ""
        if value.isInfinite { return sign + "∞" }
        var digits: [UInt8] = []
        var decimalAt = 0
        if value != 0 {
            (digits, decimalAt) = FloatingDecimal(value.magnitude).rounded(fractionDigits: maximumFractionDigits)
        }
        let text = digits.map { Character(Unicode.Scalar($0 &+ 48)) }
        var result = sign
        if decimalAt <= 0 {
            result += "0"
        } else {
            result += String(text.prefix(decimalAt))
            if decimalAt > text.count { result += String(repeating: "0", count: decimalAt - text.count) }
        }
        if text.count > decimalAt {
            result += "." + String(repeating: "0", count: max(0, -decimalAt)) + String(text[max(0, decimalAt)...])
        }
        return result
    }
}

/// 5^0…5^26 (`FDBigInteger.LONG_5_POW`).
private let powersOf5: [Int64] = (0..<27).map { (0..<$0).reduce(Int64(1)) { power, _ in power * 5 } }

/// The decimal digits `DecimalFormat` starts from for a positive finite double: a port of JDK 8–25
/// `jdk.internal.math.FloatingDecimal.BinaryToASCIIBuffer.dtoa` (the pre-JDK 19 `Double.toString` algorithm), kept
/// quirk for quirk, since its digits are not always the shortest round-trip ones (integers from 2^54 to 2^63 print
/// exactly, its 32/64-bit paths wrap, it forces two digits outside 10^-3..10^7).
/// The value is 0.d₁d₂… × 10^`exponent`; `roundedUp` and `exact` say how the digits relate to the binary value.
private struct FloatingDecimal {
    private(set) var digits: [UInt8] = []
    private(set) var exponent = 0
    private(set) var roundedUp = false
    private(set) var exact = false

    /// `N_5_BITS`: about log2 of each of `powersOf5`, as dtoa estimates the size of its numbers.
    private static let powerOf5Bits = [0, 3, 5, 7, 10, 12, 14, 17, 19, 21, 24, 26, 28, 31, 33, 35, 38, 40, 42, 45, 47,
                                       49, 52, 54, 56, 59, 61]

    init(_ value: Double) {
        var fractionBits = Int64(bitPattern: value.bitPattern & 0xF_FFFF_FFFF_FFFF)
        var binaryExponent = Int(value.bitPattern >> 52 & 0x7FF)
        let significantBits: Int
        if binaryExponent == 0 { // subnormal
            let leadingZeros = fractionBits.leadingZeroBitCount
            fractionBits <<= leadingZeros - 11
            binaryExponent = 1 - (leadingZeros - 11)
            significantBits = 64 - leadingZeros
        } else {
            fractionBits |= 1 << 52
            significantBits = 53
        }
        binaryExponent -= 1023
        let tailZeros = fractionBits.trailingZeroBitCount
        let fractionBitCount = 53 - tailZeros
        let tinyBits = max(0, fractionBitCount - binaryExponent - 1)
        if binaryExponent <= 62 && binaryExponent >= -21 && tinyBits == 0 {
            // An integer below 2^63: its exact digits, less those below 2^(exponent - 53) (`insignificantDigitsForPow2`).
            let belowPrecision = binaryExponent - significantBits - 1
            let insignificant = belowPrecision > 1 ? [0, 0, 0, 0, 1, 1, 1, 2, 2][belowPrecision] : 0
            let integer = binaryExponent >= 52 ? fractionBits << (binaryExponent - 52) : fractionBits >> (52 - binaryExponent)
            developLongDigits(integer, insignificant: insignificant)
            return
        }
        var decimalExponent = Self.estimateDecimalExponent(fractionBits, binaryExponent)
        let b5 = max(0, -decimalExponent), s5 = max(0, decimalExponent), m5 = b5
        var b2 = b5 + tinyBits + binaryExponent, s2 = s5 + tinyBits, m2 = b2 - significantBits
        fractionBits >>= tailZeros
        b2 -= fractionBitCount - 1
        let common = min(b2, s2)
        b2 -= common; s2 -= common; m2 -= common
        if fractionBitCount == 1 { m2 -= 1 } // powers of two: the gap below is half the gap above
        if m2 < 0 { b2 -= m2; s2 -= m2; m2 = 0 }
        let bBits = fractionBitCount + b2 + (b5 < 27 ? Self.powerOf5Bits[b5] : b5 * 3)
        let tenSBits = s2 + 1 + (s5 + 1 < 27 ? Self.powerOf5Bits[s5 + 1] : (s5 + 1) * 3)
        let (low, high, lowDigitDifference): (Bool, Bool, Int)
        if bBits < 32 && tenSBits < 32 {
            (low, high, lowDigitDifference) = generate(Int32.self, fractionBits, b5, b2, s5, s2, m5, m2, &decimalExponent)
        } else if bBits < 64 && tenSBits < 64 {
            (low, high, lowDigitDifference) = generate(Int64.self, fractionBits, b5, b2, s5, s2, m5, m2, &decimalExponent)
        } else {
            (low, high, lowDigitDifference) = generateBig(fractionBits, b5, b2, s5, s2, m5, m2, &decimalExponent)
        }
        exponent = decimalExponent + 1
        // The last digit is rounded by the stopping condition.
        let lastIsOdd = (digits.last ?? 0) & 1 != 0
        if high && (!low || lowDigitDifference > 0 || (lowDigitDifference == 0 && lastIsOdd)) { roundUp() }
    }

    /// `developLongDigits`: drops `insignificant` low digits rounding half up; leaves both flags false.
    private mutating func developLongDigits(_ integer: Int64, insignificant: Int) {
        var integer = integer
        if insignificant > 0 {
            let power = powersOf5[insignificant] << insignificant
            let residue = integer % power
            integer /= power
            if residue >= power >> 1 { integer += 1 }
        }
        let text = Array(String(integer).utf8).map { $0 - 48 }
        exponent = text.count + insignificant
        digits = Array(text.prefix(through: text.lastIndex { $0 != 0 }!))
    }

    /// `estimateDecExp`: floor(log10(value)) from a linear approximation, never too low, at most one too high.
    private static func estimateDecimalExponent(_ fractionBits: Int64, _ binaryExponent: Int) -> Int {
        let mantissa = Double(bitPattern: 0x3FF0_0000_0000_0000 | UInt64(fractionBits) & 0xF_FFFF_FFFF_FFFF)
        let estimate = (mantissa - 1.5) * 0.289529654 + 0.176091259 + Double(binaryExponent) * 0.301029995663981
        return Int(estimate.rounded(.down))
    }

    /// The 32- and 64-bit digit loops, with Java's wrapping arithmetic (an overflowing `m` or `b + m` changes
    /// where they stop).
    private mutating func generate<T: FixedWidthInteger & SignedInteger>(
        _: T.Type, _ fractionBits: Int64, _ b5: Int, _ b2: Int, _ s5: Int, _ s2: Int, _ m5: Int, _ m2: Int,
        _ decimalExponent: inout Int
    ) -> (Bool, Bool, Int) {
        var b = T(truncatingIfNeeded: fractionBits) &* T(truncatingIfNeeded: powersOf5[b5]) &<< T(b2)
        let s = T(truncatingIfNeeded: powersOf5[s5]) &<< T(s2)
        var m = T(truncatingIfNeeded: powersOf5[m5]) &<< T(m2)
        let tens = s &* 10
        var digit = b / s
        b = 10 &* (b % s)
        m = m &* 10
        var low = b < m, high = b &+ m > tens
        if digit == 0 && !high { decimalExponent -= 1 } else { digits.append(UInt8(truncatingIfNeeded: digit)) }
        if decimalExponent < -3 || decimalExponent >= 8 { low = false; high = false } // E-form: two digits at least
        while !low && !high {
            digit = b / s
            b = 10 &* (b % s)
            m = m &* 10
            if m > 0 { low = b < m; high = b &+ m > tens } else { low = true; high = true }
            digits.append(UInt8(truncatingIfNeeded: digit))
        }
        exact = b == 0
        return (low, high, Int((b &<< 1) &- tens).signum())
    }

    /// The `FDBigInteger` digit loop; unlike the fixed-width loops it stops when `b + m` equals `10s`.
    private mutating func generateBig(
        _ fractionBits: Int64, _ b5: Int, _ b2: Int, _ s5: Int, _ s2: Int, _ m5: Int, _ m2: Int,
        _ decimalExponent: inout Int
    ) -> (Bool, Bool, Int) {
        let s = Magnitude(1, pow5: s5, pow2: s2), tenS = Magnitude(10, pow5: s5, pow2: s2)
        var b = Magnitude(UInt64(fractionBits), pow5: b5, pow2: b2)
        var m = Magnitude(10, pow5: m5, pow2: m2)
        var digit = b.divideAndTimesTen(by: s)
        var low = b < m, high = !(b + m < tenS)
        if digit == 0 && !high { decimalExponent -= 1 } else { digits.append(digit) }
        if decimalExponent < -3 || decimalExponent >= 8 { low = false; high = false }
        while !low && !high {
            digit = b.divideAndTimesTen(by: s)
            m.multiply(by: 10)
            low = b < m
            high = !(b + m < tenS)
            digits.append(digit)
        }
        exact = b.isZero
        guard high && low else { return (low, high, 0) }
        b.multiply(by: 2)
        return (low, high, b < tenS ? -1 : tenS < b ? 1 : 0)
    }

    /// `roundup()`: a carry out of all nines gives `1` and a larger exponent without setting `roundedUp`.
    private mutating func roundUp() {
        guard let index = digits.lastIndex(where: { $0 != 9 }) else {
            digits = [1] + Array(repeating: 0, count: max(0, digits.count - 1))
            exponent += 1
            return
        }
        digits[index] &+= 1
        for zeroed in index + 1..<digits.count { digits[zeroed] = 0 }
        roundedUp = true
    }

    /// `DigitList.set(…, fixedPoint: true)` then its HALF_EVEN `round`: the digits (no trailing zeros, empty for
    /// zero) and the decimal point's position once rounded to `fractionDigits` places.
    func rounded(fractionDigits: Int) -> ([UInt8], Int) {
        var digits = self.digits
        while digits.count > 1 && digits.last == 0 { digits.removeLast() }
        let decimalAt = exponent
        if -decimalAt > fractionDigits { return ([], 0) }
        if -decimalAt == fractionDigits { return roundsUp(digits, at: 0) ? ([1], decimalAt + 1) : ([], 0) }
        let keep = fractionDigits + decimalAt
        guard keep < digits.count else { return (digits, decimalAt) }
        let up = roundsUp(digits, at: keep)
        digits.removeLast(digits.count - keep)
        if up {
            guard let index = digits.lastIndex(where: { $0 != 9 }) else { return ([1], decimalAt + 1) }
            digits[index] &+= 1
            digits.removeLast(digits.count - index - 1)
        }
        while digits.count > 1 && digits.last == 0 { digits.removeLast() }
        return (digits, decimalAt)
    }

    /// `DigitList.shouldRoundUp` for HALF_EVEN: a final 5 is a tie only when the digits are exact; otherwise the
    /// side the value lies on decides.
    private func roundsUp(_ digits: [UInt8], at index: Int) -> Bool {
        guard index < digits.count else { return false }
        if digits[index] != 5 { return digits[index] > 5 }
        if index < digits.count - 1 { return digits[(index + 1)...].contains { $0 != 0 } }
        return exact ? index > 0 && digits[index - 1] & 1 != 0 : !roundedUp
    }
}

/// An unsigned integer of any size (little-endian 32-bit words), for `FloatingDecimal`'s `FDBigInteger` loop.
private struct Magnitude: Comparable {
    private var words: [UInt32]

    /// `value` × 5^`pow5` × 2^`pow2`.
    init(_ value: UInt64, pow5: Int, pow2: Int) {
        words = [UInt32(truncatingIfNeeded: value), UInt32(value >> 32)]
        var fives = pow5
        while fives > 0 {
            let step = min(fives, 13)
            multiply(by: UInt32(powersOf5[step]))
            fives -= step
        }
        words.insert(contentsOf: repeatElement(0, count: pow2 / 32), at: 0)
        multiply(by: 1 << UInt32(pow2 % 32))
    }

    var isZero: Bool { words.allSatisfy { $0 == 0 } }

    mutating func multiply(by factor: UInt32) {
        var carry: UInt64 = 0
        for index in words.indices {
            let product = UInt64(words[index]) * UInt64(factor) + carry
            words[index] = UInt32(truncatingIfNeeded: product)
            carry = product >> 32
        }
        if carry != 0 { words.append(UInt32(carry)) }
    }

    /// `quoRemIteration`: returns self / divisor (a digit) and leaves 10 × (self mod divisor).
    mutating func divideAndTimesTen(by divisor: Magnitude) -> UInt8 {
        var digit: UInt8 = 0
        while !(self < divisor) {
            var borrow: Int64 = 0
            for index in words.indices {
                let difference = Int64(words[index]) - Int64(index < divisor.words.count ? divisor.words[index] : 0) - borrow
                words[index] = UInt32(truncatingIfNeeded: difference)
                borrow = difference < 0 ? 1 : 0
            }
            digit &+= 1
        }
        multiply(by: 10)
        return digit
    }

    static func + (lhs: Magnitude, rhs: Magnitude) -> Magnitude {
        var sum = lhs
        if sum.words.count < rhs.words.count { sum.words += repeatElement(0, count: rhs.words.count - sum.words.count) }
        var carry: UInt64 = 0
        for index in sum.words.indices {
            let total = UInt64(sum.words[index]) + UInt64(index < rhs.words.count ? rhs.words[index] : 0) + carry
            sum.words[index] = UInt32(truncatingIfNeeded: total)
            carry = total >> 32
        }
        if carry != 0 { sum.words.append(UInt32(carry)) }
        return sum
    }

    static func < (lhs: Magnitude, rhs: Magnitude) -> Bool {
        for index in (0..<max(lhs.words.count, rhs.words.count)).reversed() {
            let left = index < lhs.words.count ? lhs.words[index] : 0
            let right = index < rhs.words.count ? rhs.words[index] : 0
            if left != right { return left < right }
        }
        return false
    }
}
