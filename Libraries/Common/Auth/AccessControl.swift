import HTTPTypes
import Logging
import PipelineCore

/// Who may call a service's protected endpoints: holders of a secret listed in a credentials file, or,
/// only when the operator says so explicitly, anyone.
public enum AccessControl: Sendable {
    /// No check (`<SWITCH>=off`): every caller is `anonymous`.
    case open
    case credentials(CredentialStore)

    /// The name given to callers when access is open.
    public static let anonymous = "anonymous"

    /// `switchVariable` is `on` (default) or `off`; when on, `fileVariable` must name a credentials file:
    /// a deployment without credentials refuses to start rather than serve everyone.
    public static func read(_ env: EnvironmentReader, switchVariable: String, fileVariable: String,
                            logger: Logger) throws(ConfigurationError) -> AccessControl {
        let enabled = try env.choice(switchVariable, default: "on", choices: ["on", "off"]) == "on"
        let path = env.string(fileVariable, default: "")
        guard enabled else {
            logger.warning("authentication is off: every caller is accepted", metadata: ["setting": "\(switchVariable)=off"])
            return .open
        }
        guard !path.isEmpty else {
            throw ConfigurationError(variable: fileVariable, value: "",
                                     expected: "a credentials file (name:sha256 per line), or \(switchVariable)=off to accept anyone")
        }
        return .credentials(try CredentialStore(path: path, variable: fileVariable, logger: logger))
    }

    public enum Outcome: Sendable, Equatable {
        /// The caller's name: the credential's, or `anonymous` when access is open.
        case allowed(String)
        /// No secret presented, or one that matches no credential.
        case denied(String)
    }

    /// Checks the secret of `Authorization: Bearer <secret>`, or else of `alternativeHeader` when given.
    public func authenticate(_ headers: HTTPFields, alternativeHeader: HTTPField.Name? = nil) -> Outcome {
        guard case .credentials(let store) = self else { return .allowed(Self.anonymous) }
        var secret: Substring?
        if let authorization = headers[.authorization] {
            let parts = authorization.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
            if parts.count == 2, parts[0].lowercased() == "bearer" { secret = parts[1].drop { $0 == " " } }
        }
        if secret == nil, let alternativeHeader, let value = headers[alternativeHeader] { secret = Substring(value) }
        guard let secret, !secret.isEmpty else {
            return .denied("no credentials: send Authorization: Bearer <secret>")
        }
        guard let name = store.name(forSecret: secret) else { return .denied("unknown credentials") }
        return .allowed(name)
    }

    /// The store to run as a service (it reloads the file), nil when open.
    public var store: CredentialStore? {
        if case .credentials(let store) = self { return store }
        return nil
    }
}
