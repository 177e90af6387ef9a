// swift-tools-version:6.0
// Real-time e-commerce analytics pipeline: behaviour logs and binlog changes through Kafka,
// enriched exactly once, served from Elasticsearch. See README.md and docs/architecture.md.
import PackageDescription

let package = Package(
    name: "gmall-pipeline",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "log-ingest", targets: ["LogIngest"]),
        .executable(name: "enricher", targets: ["Enricher"]),
        .executable(name: "sink-es", targets: ["SinkES"]),
        .executable(name: "query-api", targets: ["QueryAPI"]),
        .executable(name: "shop-sim", targets: ["ShopSim"]),
        .executable(name: "cdc", targets: ["CDC"]),
        .executable(name: "kafka-mock", targets: ["KafkaMock"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
    ],
    targets: [
        // C libraries from Debian, each behind a module map.
        .systemLibrary(name: "CRdKafka", path: "Libraries/CRdKafka", pkgConfig: "rdkafka",
                       providers: [.apt(["librdkafka-dev"])]),
        .systemLibrary(name: "CHiredis", path: "Libraries/CHiredis", pkgConfig: "hiredis",
                       providers: [.apt(["libhiredis-dev"])]),
        .systemLibrary(name: "CCurl", path: "Libraries/CCurl", pkgConfig: "libcurl",
                       providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CMariaDB", path: "Libraries/CMariaDB", pkgConfig: "libmariadb",
                       providers: [.apt(["libmariadb-dev"])]),
        .systemLibrary(name: "CZlib", path: "Libraries/CZlib", pkgConfig: "zlib",
                       providers: [.apt(["zlib1g-dev"])]),

        // Thin Swift clients over the C libraries.
        .target(name: "Kafka", dependencies: ["CRdKafka", .product(name: "Logging", package: "swift-log")],
                path: "Libraries/Kafka"),
        .target(name: "Redis", dependencies: ["CHiredis", .product(name: "Logging", package: "swift-log")],
                path: "Libraries/Redis"),
        .target(name: "Elasticsearch", dependencies: ["CCurl", .product(name: "Logging", package: "swift-log")],
                path: "Libraries/Elasticsearch"),

        // MySQL/MariaDB binlog replication: transport over libmariadb, row decoding, Maxwell JSON.
        .target(name: "BinlogReplication", dependencies: ["CMariaDB", .product(name: "Logging", package: "swift-log")],
                path: "Libraries/BinlogReplication"),

        // Pure pipeline logic: models, validation, ids, DAU rules, configuration parsing. No I/O.
        .target(name: "PipelineCore", path: "Libraries/PipelineCore"),

        // What every service shares at run time: HTTP server, metrics, logging, consumer loop, offsets.
        .target(name: "Common", dependencies: [
            "PipelineCore", "Kafka", "Redis", "Elasticsearch", "CZlib",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdCore", package: "hummingbird"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
        ], path: "Libraries/Common"),

        .executableTarget(name: "LogIngest", dependencies: ["Common", .product(name: "NIOCore", package: "swift-nio")],
                         path: "Services/log-ingest"),
        .executableTarget(name: "Enricher", dependencies: ["Common"], path: "Services/enricher"),
        .executableTarget(name: "SinkES", dependencies: ["Common"], path: "Services/sink-es"),
        .executableTarget(name: "QueryAPI", dependencies: ["Common"], path: "Services/query-api",
                         resources: [.copy("Resources/openapi.json"), .copy("Resources/dashboard")]),
        .executableTarget(name: "CDC", dependencies: ["Common", "BinlogReplication"], path: "Services/cdc"),
        .executableTarget(name: "ShopSim", dependencies: [
            "PipelineCore", "CZlib",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], path: "Tools/shop-sim"),
        // librdkafka's mock cluster as a process: a broker that holds empty fetches, for bench-idle.sh.
        .executableTarget(name: "KafkaMock", dependencies: [
            "Kafka", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], path: "Tools/kafka-mock"),

        // Starts real servers (Redis, the Kafka/Elasticsearch stand-in) on free ports for tests.
        .target(name: "TestSupport", dependencies: ["PipelineCore"], path: "Tests/TestSupport"),

        .testTarget(name: "PipelineCoreTests", dependencies: ["PipelineCore", "TestSupport"]),
        .testTarget(name: "CommonTests", dependencies: ["Common", "TestSupport"]),
        .testTarget(name: "KafkaTests", dependencies: ["Kafka", "TestSupport"]),
        .testTarget(name: "RedisTests", dependencies: ["Redis", "TestSupport"]),
        .testTarget(name: "ElasticsearchTests", dependencies: ["Elasticsearch", "TestSupport"]),
        .testTarget(name: "CDCTests", dependencies: ["BinlogReplication", "TestSupport", "Kafka"]),
        .testTarget(name: "EndToEndTests", dependencies: ["TestSupport", "PipelineCore", "Kafka", "Redis"]),
    ]
)
