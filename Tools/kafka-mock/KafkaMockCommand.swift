import ArgumentParser
import Foundation
import Kafka

/// `kafka-mock`: librdkafka's mock Kafka cluster as a process of its own, for benchmarks that need a
/// broker which, like Kafka, holds an empty fetch for the consumer's `fetch.wait.max.ms` (the local
/// stand-in answers it at once, so idle consumers poll it about a thousand times a second).
@main
struct KafkaMockCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kafka-mock",
        abstract: "Run librdkafka's mock Kafka cluster until SIGTERM or SIGINT, with the given topics.",
        discussion: """
            For benchmarks only: it keeps everything in memory, listens on ports it picks itself and has no \
            CreateTopics API (services then check that their topics exist; create them here). Once the topics \
            exist, the brokers' address (host:port,...) is written to --bootstrap-file and printed.
            """)

    @Option(help: "Where to write the brokers' address once they listen.")
    var bootstrapFile: String

    @Option(help: "Number of mock brokers (1 to 16).")
    var brokers: Int32 = 1

    @Argument(help: "Topics to create, each as name:partitions (e.g. ods.log:4).")
    var topics: [String] = []

    func validate() throws {
        guard (1...16).contains(brokers) else { throw ValidationError("--brokers must be 1 to 16") }
        for topic in topics where Self.parse(topic) == nil {
            throw ValidationError("'\(topic)' is not name:partitions with 1 to 1000 partitions")
        }
    }

    func run() throws {
        // Blocked before any thread starts, so that every thread inherits the mask and sigwait gets them.
        var stopSignals = sigset_t()
        sigemptyset(&stopSignals)
        sigaddset(&stopSignals, SIGTERM)
        sigaddset(&stopSignals, SIGINT)
        pthread_sigmask(SIG_BLOCK, &stopSignals, nil)

        let cluster = try KafkaMockCluster(brokers: brokers)
        for case let (name, partitions)? in topics.map(Self.parse) {
            try cluster.createTopic(name, partitions: partitions)
        }
        let temporary = bootstrapFile + ".tmp"
        try Data((cluster.bootstrapServers + "\n").utf8).write(to: URL(fileURLWithPath: temporary))
        guard rename(temporary, bootstrapFile) == 0 else {
            throw ValidationError("cannot write \(bootstrapFile): \(String(cString: strerror(errno)))")
        }
        FileHandle.standardOutput.write(Data((cluster.bootstrapServers + "\n").utf8))

        var received: Int32 = 0
        sigwait(&stopSignals, &received)
        withExtendedLifetime(cluster) {}
    }

    /// `name:partitions` as its parts, or nil.
    static func parse(_ topic: String) -> (String, Int32)? {
        guard let colon = topic.lastIndex(of: ":"), colon != topic.startIndex,
              let partitions = Int32(topic[topic.index(after: colon)...]), (1...1000).contains(partitions)
        else { return nil }
        return (String(topic[..<colon]), partitions)
    }
}
