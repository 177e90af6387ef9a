/// DATE, TIME, DATETIME and TIMESTAMP values in their binlog encodings, rendered as MySQL prints them
/// (`YYYY-MM-DD HH:MM:SS[.ffffff]` with the column's fractional digits; zero dates stay zero).
enum Temporal {
    static func date(packed: UInt32) -> String {
        let day = Int(packed & 31), month = Int((packed >> 5) & 15), year = Int(packed >> 9)
        return pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2)
    }

    /// Old-style TIME: a signed 3-byte HHMMSS integer.
    static func timeV1(_ raw: UInt64) -> String {
        var value = Int64(bitPattern: raw << 40) >> 40
        let negative = value < 0
        value = abs(value)
        return (negative ? "-" : "") + pad(Int(value / 10000), 2) + ":" + pad(Int(value / 100 % 100), 2) + ":"
            + pad(Int(value % 100), 2)
    }

    /// Old-style DATETIME: an 8-byte YYYYMMDDhhmmss integer.
    static func datetimeV1(_ value: UInt64) -> String {
        let date = value / 1_000_000, time = value % 1_000_000
        return pad(Int(date / 10000), 4) + "-" + pad(Int(date / 100 % 100), 2) + "-" + pad(Int(date % 100), 2) + " "
            + pad(Int(time / 10000), 2) + ":" + pad(Int(time / 100 % 100), 2) + ":" + pad(Int(time % 100), 2)
    }

    /// Fractional seconds stored after TIMESTAMP2/DATETIME2 (big-endian, 0–3 bytes by precision), as microseconds.
    static func fraction(_ reader: inout ByteReader, precision: Int) throws -> Int {
        switch precision {
        case 1, 2: return Int(try reader.uintBE(1, "fraction")) * 10000
        case 3, 4: return Int(try reader.uintBE(2, "fraction")) * 100
        case 5, 6: return Int(try reader.uintBE(3, "fraction"))
        default: return 0
        }
    }

    static func fractionText(micros: Int, precision: Int) -> String {
        guard precision > 0 else { return "" }
        var divisor = 1
        for _ in 0..<(6 - min(precision, 6)) { divisor *= 10 }
        return "." + pad(micros / divisor, min(precision, 6))
    }

    /// DATETIME2: 5 big-endian bytes (offset 0x8000000000) of year*13+month, day, hour, minute, second bits.
    static func datetime2(_ reader: inout ByteReader, precision: Int) throws -> String {
        let packed = Int64(try reader.uintBE(5, "datetime2")) - 0x80_0000_0000
        let micros = try fraction(&reader, precision: precision)
        let value = packed < 0 ? -packed : packed
        let ymd = value >> 17, hms = value % (1 << 17)
        let yearMonth = ymd >> 5
        let text = pad(Int(yearMonth / 13), 4) + "-" + pad(Int(yearMonth % 13), 2) + "-" + pad(Int(ymd % 32), 2) + " "
            + pad(Int(hms >> 12), 2) + ":" + pad(Int((hms >> 6) & 63), 2) + ":" + pad(Int(hms % 64), 2)
        return text + fractionText(micros: micros, precision: precision)
    }

    /// TIME2: 3 big-endian bytes (offset 0x800000) of sign, hours, minutes, seconds, then the fraction;
    /// negative times borrow from the integer part as MySQL's `my_time_packed_from_binary` does.
    static func time2(_ reader: inout ByteReader, precision: Int) throws -> String {
        var packed: Int64
        switch precision {
        case 1, 2, 3, 4:
            var integer = Int64(try reader.uintBE(3, "time2")) - 0x80_0000
            let width = precision <= 2 ? 1 : 2
            var fraction = Int64(try reader.uintBE(width, "time2 fraction"))
            if integer < 0 && fraction != 0 {
                integer += 1
                fraction -= width == 1 ? 0x100 : 0x10000
            }
            packed = (integer << 24) + fraction * (width == 1 ? 10000 : 100)
        case 5, 6:
            packed = Int64(try reader.uintBE(6, "time2")) - 0x8000_0000_0000
        default:
            packed = (Int64(try reader.uintBE(3, "time2")) - 0x80_0000) << 24
        }
        let negative = packed < 0
        if negative { packed = -packed }
        let hms = packed >> 24, micros = Int(packed % (1 << 24))
        let hours = Int((hms >> 12) & 0x3FF), minutes = Int((hms >> 6) & 63), seconds = Int(hms & 63)
        return (negative ? "-" : "") + pad(hours, 2) + ":" + pad(minutes, 2) + ":" + pad(seconds, 2)
            + fractionText(micros: micros, precision: precision)
    }

    /// TIMESTAMP: seconds since the epoch, printed in UTC; 0 is the zero timestamp.
    static func timestamp(seconds: UInt32, micros: Int, precision: Int) -> String {
        if seconds == 0 && micros == 0 {
            return "0000-00-00 00:00:00" + fractionText(micros: 0, precision: precision)
        }
        let days = Int64(seconds) / 86400, secondOfDay = Int(Int64(seconds) % 86400)
        let (year, month, day) = civil(daysSinceEpoch: days)
        return pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2) + " " + pad(secondOfDay / 3600, 2) + ":"
            + pad(secondOfDay / 60 % 60, 2) + ":" + pad(secondOfDay % 60, 2) + fractionText(micros: micros, precision: precision)
    }

    /// Gregorian date of a day count since 1970-01-01 (Howard Hinnant's `civil_from_days`).
    static func civil(daysSinceEpoch: Int64) -> (Int, Int, Int) {
        let z = daysSinceEpoch + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (Int(year), Int(month), Int(day))
    }

    static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }
}
