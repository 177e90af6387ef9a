import Foundation
import PipelineCore
import Testing

@Suite("EnvironmentReader")
struct EnvironmentReaderTests {
    private func reader(_ variables: [String: String]) -> EnvironmentReader { EnvironmentReader(variables) }

    /// The error `body` throws, nil if it does not throw.
    private func error<T>(_ body: () throws(ConfigurationError) -> T) -> ConfigurationError? {
        do {
            _ = try body()
            return nil
        } catch {
            return error
        }
    }

    @Test("The default reader sees the process environment")
    func processEnvironment() {
        #expect(EnvironmentReader().variables == ProcessInfo.processInfo.environment)
    }

    @Test("Strings: value trimmed of spaces; default when unset, empty or blank")
    func strings() {
        let env = reader(["A": "  x y ", "E": "", "B": "   "])
        #expect(env.string("A", default: "d") == "x y")
        #expect(env.string("E", default: "d") == "d")
        #expect(env.string("B", default: "d") == "d")
        #expect(env.string("UNSET", default: "d") == "d")
        #expect(env.optionalString("A") == "x y")
        #expect(env.optionalString("E") == nil)
        #expect(env.optionalString("UNSET") == nil)
    }

    @Test("Integers: default, value, range bounds, and errors naming the variable")
    func integers() throws {
        let env = reader(["N": "12", "LOW": "1", "HIGH": "100", "OUT": "101", "NEG": "-1", "TEXT": "ten",
                          "FLOAT": "1.5", "EMPTY": ""])
        #expect(try env.integer("UNSET", default: 7, range: 1...100) == 7)
        #expect(try env.integer("EMPTY", default: 7, range: 1...100) == 7)
        #expect(try env.integer("N", default: 7, range: 1...100) == 12)
        #expect(try env.integer("LOW", default: 7, range: 1...100) == 1)
        #expect(try env.integer("HIGH", default: 7, range: 1...100) == 100)
        for name in ["OUT", "NEG", "TEXT", "FLOAT"] {
            let failure = error { () throws(ConfigurationError) in try env.integer(name, default: 7, range: 1...100) }
            #expect(failure?.variable == name)
            #expect(failure?.value == env.variables[name])
            #expect(failure?.expected == "an integer from 1 to 100")
        }
    }

    @Test("Durations in ms, s and m")
    func durations() throws {
        let env = reader(["MS": "250ms", "S": "5s", "M": "2m", "Z": "0s", "PAD": " 3s "])
        #expect(try env.duration("MS", default: .seconds(1)) == .milliseconds(250))
        #expect(try env.duration("S", default: .seconds(1)) == .seconds(5))
        #expect(try env.duration("M", default: .seconds(1)) == .seconds(120))
        #expect(try env.duration("Z", default: .seconds(1)) == .zero)
        #expect(try env.duration("PAD", default: .seconds(1)) == .seconds(3))
        #expect(try env.duration("UNSET", default: .milliseconds(1500)) == .milliseconds(1500))
    }

    @Test("Bad durations name the variable", arguments: ["5", "s", "-1s", "1.5s", "5 s", "5h", "ms", "5sec", "99999999999s"])
    func badDurations(text: String) {
        let env = reader(["D": text])
        let failure = error { () throws(ConfigurationError) in try env.duration("D", default: .seconds(1)) }
        #expect(failure?.variable == "D")
        #expect(failure?.description.contains("D=") == true)
    }

    @Test("Booleans in their usual spellings, any case")
    func booleans() throws {
        for text in ["1", "true", "TRUE", "yes", "On"] {
            #expect(try reader(["B": text]).bool("B", default: false) == true, "\(text)")
        }
        for text in ["0", "false", "False", "no", "OFF"] {
            #expect(try reader(["B": text]).bool("B", default: true) == false, "\(text)")
        }
        #expect(try reader([:]).bool("B", default: true) == true)
        let failure = error { () throws(ConfigurationError) in try reader(["B": "Maybe"]).bool("B", default: true) }
        #expect(failure?.variable == "B")
        #expect(failure?.value == "Maybe")   // as set, not as compared
    }

    @Test("host:port with names, IPv4 and bracketed IPv6; the default is parsed too")
    func hostAndPort() throws {
        let env = reader(["A": "kafka-0.kafka:9092", "B": "127.0.0.1:8180", "C": "[::1]:6379"])
        #expect(try env.hostAndPort("A", default: "x:1") == ("kafka-0.kafka", 9092))
        #expect(try env.hostAndPort("B", default: "x:1") == ("127.0.0.1", 8180))
        #expect(try env.hostAndPort("C", default: "x:1") == ("::1", 6379))
        #expect(try env.hostAndPort("UNSET", default: "0.0.0.0:65535") == ("0.0.0.0", 65535))
    }

    @Test("Bad host:port values name the variable", arguments: ["localhost", "host:", ":80", "host:0", "host:65536",
                                                                   "host:http", "[]:80", "host:-1"])
    func badHostAndPort(text: String) {
        let failure = error { () throws(ConfigurationError) in try reader(["H": text]).hostAndPort("H", default: "x:1") }
        #expect(failure?.variable == "H", "\(text)")
        #expect(failure?.value == text)
    }

    @Test("A bad default is reported against the variable too")
    func badDefault() {
        let failure = error { () throws(ConfigurationError) in try reader([:]).hostAndPort("H", default: "nope") }
        #expect(failure?.variable == "H")
        #expect(failure?.value == "nope")
    }

    @Test("Lists: comma-separated, items trimmed, empty items dropped")
    func lists() {
        let env = reader(["L": " a, b ,,c ,", "E": ""])
        #expect(env.list("L", default: ["x"]) == ["a", "b", "c"])
        #expect(env.list("E", default: ["x"]) == ["x"])
        #expect(env.list("UNSET", default: []) == [])
    }

    @Test("Time zones by IANA name")
    func timeZones() throws {
        let env = reader(["Z": "Asia/Shanghai", "BAD": "Mars/Olympus"])
        #expect(try env.timeZone("Z", default: "UTC").identifier == "Asia/Shanghai")
        #expect(try env.timeZone("UNSET", default: "UTC").secondsFromGMT() == 0)
        let failure = error { () throws(ConfigurationError) in try env.timeZone("BAD", default: "UTC") }
        #expect(failure?.variable == "BAD")
        #expect(failure?.value == "Mars/Olympus")
    }

    @Test("Choices")
    func choices() throws {
        let env = reader(["C": "json", "BAD": "xml"])
        #expect(try env.choice("C", default: "text", choices: ["json", "text"]) == "json")
        #expect(try env.choice("UNSET", default: "text", choices: ["json", "text"]) == "text")
        let failure = error { () throws(ConfigurationError) in try env.choice("BAD", default: "text", choices: ["json", "text"]) }
        #expect(failure?.variable == "BAD")
        #expect(failure?.expected == "one of json, text")
    }

    @Test("HTTP URLs: trailing slash removed, other schemes and host-less text refused")
    func httpURLs() throws {
        let env = reader(["U": "http://127.0.0.1:9200/", "S": "https://es.example:443"])
        #expect(try env.httpURL("U", default: "http://x") == "http://127.0.0.1:9200")
        #expect(try env.httpURL("S", default: "http://x") == "https://es.example:443")
        #expect(try env.httpURL("UNSET", default: "http://localhost:9200") == "http://localhost:9200")
        for bad in ["ftp://x", "127.0.0.1:9200", "http://", "not a url", "/path"] {
            let failure = error { () throws(ConfigurationError) in try reader(["U": bad]).httpURL("U", default: "http://x") }
            #expect(failure?.variable == "U", "\(bad)")
        }
    }

    @Test("The error's description names the variable, the value and what was expected")
    func description() {
        let error = ConfigurationError(variable: "KAFKA_PARTITIONS", value: "zero", expected: "an integer from 1 to 64")
        #expect(error.description == #"invalid configuration: KAFKA_PARTITIONS="zero": expected an integer from 1 to 64"#)
    }
}
