/// Where and how to reach Elasticsearch over HTTP.
public struct ElasticsearchConfiguration: Sendable {
    /// Base URL of the cluster, without a trailing path; default `http://127.0.0.1:9200`.
    public var url: String
    /// User name for HTTP basic authentication; default nil (no authentication).
    public var username: String?
    /// Password for HTTP basic authentication, used only with `username`; default nil. Never logged.
    public var password: String?
    /// An API key (the base64 `encoded` form Elasticsearch returns), sent as `Authorization: ApiKey …`
    /// instead of basic authentication; default nil. Never logged.
    public var apiKey: String?
    /// PEM file of the CA(s) that signed the cluster's HTTPS certificate (ECK: `<name>-es-http-certs-public`'s
    /// `ca.crt`); default nil, the system's CAs. The host name is always checked against the certificate.
    public var caFile: String?
    /// How long establishing the TCP connection may take; default 5 s.
    public var connectTimeout: Duration
    /// How long a whole request, connection included, may take; default 30 s.
    public var requestTimeout: Duration
    /// The largest answer accepted; a bigger one fails with `.invalidResponse`. Default 64 MiB.
    public var maxResponseBytes: Int
    /// The most connections open to the cluster at once; more concurrent requests wait for one (within their
    /// `requestTimeout`). Default 16.
    public var maxConnections: Int

    public init(
        url: String = "http://127.0.0.1:9200",
        username: String? = nil,
        password: String? = nil,
        connectTimeout: Duration = .seconds(5),
        requestTimeout: Duration = .seconds(30),
        maxResponseBytes: Int = 64 << 20,
        maxConnections: Int = 16
    ) {
        self.url = url
        self.username = username
        self.password = password
        self.connectTimeout = connectTimeout
        self.requestTimeout = requestTimeout
        self.maxResponseBytes = maxResponseBytes
        self.maxConnections = maxConnections
    }
}
