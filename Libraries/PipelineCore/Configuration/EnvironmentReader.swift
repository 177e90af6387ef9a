import Foundation

/// A configuration value that cannot be used: names the variable, the value, and what is expected.
public struct ConfigurationError: Error, Equatable, Sendable, CustomStringConvertible {
    public var variable: String
    public var value: String
    public var expected: String

    public init(variable: String, value: String, expected: String) {
        self.variable = variable
        self.value = value
        self.expected = expected
    }

    public var description: String {
        "invalid configuration: \(variable)=\"\(value)\": expected \(expected)"
    }
}

/// Typed reads of environment variables, each with a default for when the variable is unset or empty.
public struct EnvironmentReader: Sendable {
    public let variables: [String: String]

    /// Reads from `variables` (default: the process environment).
    public init(_ variables: [String: String] = ProcessInfo.processInfo.environment) {
        self.variables = variables
    }

    private func raw(_ name: String) -> String? {
        guard let value = variables[name]?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        return value
    }

    public func string(_ name: String, default fallback: String) -> String {
        raw(name) ?? fallback
    }

    /// An optional value, such as a password; nil when unset.
    public func optionalString(_ name: String) -> String? {
        raw(name)
    }

    public func integer(_ name: String, default fallback: Int, range: ClosedRange<Int>) throws(ConfigurationError) -> Int {
        guard let text = raw(name) else { return fallback }
        guard let value = Int(text), range.contains(value) else {
            throw ConfigurationError(variable: name, value: text,
                                     expected: "an integer from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }

    /// A duration written as an integer with a unit: `250ms`, `5s`, `2m`.
    public func duration(_ name: String, default fallback: Duration) throws(ConfigurationError) -> Duration {
        guard let text = raw(name) else { return fallback }
        let units: [(String, (Int) -> Duration)] = [("ms", { .milliseconds($0) }), ("s", { .seconds($0) }), ("m", { .seconds($0 * 60) })]
        for (suffix, make) in units where text.hasSuffix(suffix) {
            if let n = Int(text.dropLast(suffix.count)), n >= 0, n <= 86_400_000 { return make(n) }
        }
        throw ConfigurationError(variable: name, value: text, expected: "a duration such as 250ms, 5s or 2m")
    }

    public func bool(_ name: String, default fallback: Bool) throws(ConfigurationError) -> Bool {
        guard let text = raw(name) else { return fallback }
        switch text.lowercased() {
        case "1", "true", "yes", "on": return true
        case "0", "false", "no", "off": return false
        default: throw ConfigurationError(variable: name, value: text, expected: "true or false")
        }
    }

    /// A `host:port` pair; the host may be a name, an IPv4 address or a bracketed IPv6 address.
    public func hostAndPort(_ name: String, default fallback: String) throws(ConfigurationError) -> (host: String, port: Int) {
        let text = raw(name) ?? fallback
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
              (1...65535).contains(port) else {
            throw ConfigurationError(variable: name, value: text, expected: "host:port with a port from 1 to 65535")
        }
        var host = String(text[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else {
            throw ConfigurationError(variable: name, value: text, expected: "host:port with a host")
        }
        return (host, port)
    }

    /// A comma-separated list of non-empty items.
    public func list(_ name: String, default fallback: [String]) -> [String] {
        guard let text = raw(name) else { return fallback }
        return text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// An IANA time zone name such as `UTC` or `Asia/Shanghai`.
    public func timeZone(_ name: String, default fallback: String) throws(ConfigurationError) -> TimeZone {
        let text = raw(name) ?? fallback
        guard let zone = TimeZone(identifier: text) else {
            throw ConfigurationError(variable: name, value: text, expected: "an IANA time zone name such as UTC or Asia/Shanghai")
        }
        return zone
    }

    /// One of `choices`.
    public func choice(_ name: String, default fallback: String, choices: [String]) throws(ConfigurationError) -> String {
        let text = raw(name) ?? fallback
        guard choices.contains(text) else {
            throw ConfigurationError(variable: name, value: text, expected: "one of \(choices.joined(separator: ", "))")
        }
        return text
    }

    /// A secret given either as `NAME` or, better (no copy in the environment), as a file named by `NAME_FILE`
    /// (e.g. a mounted Kubernetes Secret; one trailing newline is dropped). Nil when neither is set; both set,
    /// an unreadable or an empty file is an error. The value never appears in an error message.
    public func secret(_ name: String) throws(ConfigurationError) -> String? {
        let fileVariable = name + "_FILE"
        switch (raw(name), raw(fileVariable)) {
        case (nil, nil):
            return nil
        case (let value?, nil):
            return value
        case (nil, let path?):
            guard let data = FileManager.default.contents(atPath: path) else {
                throw ConfigurationError(variable: fileVariable, value: path, expected: "a readable file holding \(name)")
            }
            var text = String(decoding: data, as: UTF8.self)
            if text.hasSuffix("\r\n") { text.removeLast(2) } else if text.hasSuffix("\n") { text.removeLast() }
            guard !text.isEmpty else {
                throw ConfigurationError(variable: fileVariable, value: path, expected: "a file holding \(name), not an empty one")
            }
            return text
        case (_?, let path?):
            throw ConfigurationError(variable: fileVariable, value: path, expected: "either \(name) or \(fileVariable), not both")
        }
    }

    /// The path of a readable file (a CA bundle, a certificate), or nil when unset.
    public func readableFile(_ name: String) throws(ConfigurationError) -> String? {
        guard let path = raw(name) else { return nil }
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw ConfigurationError(variable: name, value: path, expected: "the path of a readable file")
        }
        return path
    }

    /// An `http://` or `https://` URL without a trailing slash.
    public func httpURL(_ name: String, default fallback: String) throws(ConfigurationError) -> String {
        let text = raw(name) ?? fallback
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
              url.host != nil else {
            throw ConfigurationError(variable: name, value: text, expected: "an http:// or https:// URL")
        }
        return text.hasSuffix("/") ? String(text.dropLast()) : text
    }
}
