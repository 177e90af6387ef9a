import Foundation
import Kafka
import Logging
import Redis
import Testing
import TestSupport

/// The cdc service process: bootstrap on request (the admin endpoint, its refusals, the snapshot in Kafka,
/// an unfinished snapshot run again after a restart) and a Kafka outage.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct CDCServiceTests {
    static let token = "test-admin-token"

    /// A private MariaDB with `shop.items` (`rows` rows) and `shop.hidden` (excluded), and the cdc service
    /// streaming `shop` with the admin endpoint on.
    static func setup(rows: Int) async throws -> CDCUnderTest {
        try await CDCUnderTest(serverID: 21, schema: """
            CREATE TABLE items (id INT PRIMARY KEY, name VARCHAR(20), price DECIMAL(8,2));
            CREATE TABLE hidden (id INT PRIMARY KEY);
            INSERT INTO items SELECT seq, CONCAT('item ', seq), seq / 100 FROM seq_1_to_\(rows);
            """, environment: ["CDC_EXCLUDE": "shop.hidden", "CDC_ADMIN_TOKEN": token])
    }

    static func post(_ url: String, token: String? = Self.token) async throws -> (Int, [String: Any]) {
        let (status, body) = try await HTTP.send("POST", url, body: Data(),
                                                 headers: token.map { ["Authorization": "Bearer \($0)"] } ?? [:])
        return (status, (try? JSONSerialization.jsonObject(with: body) as? [String: Any]) ?? [:])
    }

    /// Polls `GET /v1/bootstrap` until `table`'s last bootstrap is complete or failed; returns that job.
    static func awaitBootstrap(_ setup: CDCUnderTest, table: String) async throws -> [String: Any] {
        let deadline = ContinuousClock.now + .seconds(60)
        var last: [String: Any] = [:]
        while ContinuousClock.now < deadline {
            let (status, body) = try await HTTP.send("GET", "\(setup.url)/v1/bootstrap", body: Data(),
                                                     headers: ["Authorization": "Bearer \(token)"])
            #expect(status == 200)
            let jobs = (try JSONSerialization.jsonObject(with: body) as? [String: Any])?["bootstraps"] as? [[String: Any]] ?? []
            last = jobs.last { $0["table"] as? String == table } ?? [:]
            if let state = last["state"] as? String, state == "complete" || state == "failed" { return last }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw PipelineError("bootstrap of \(table) did not finish: \(last)")
    }

    /// The `type`s of the records about `shop.items` in ods.db, in order (one partition per key, so the
    /// markers and rows of one key stay in order; counted over all partitions).
    static func itemRecordTypes(_ setup: CDCUnderTest, atLeast count: Int) async throws -> [String] {
        let messages = try await FailureHandlingTests.read("ods.db", count: count, stack: setup.stack)
        return messages.compactMap { message in
            guard let record = try? JSONSerialization.jsonObject(with: Data(message.value)) as? [String: Any],
                  record["table"] as? String == "items" else { return nil }
            return record["type"] as? String
        }
    }

    @Test("POST /v1/bootstrap snapshots a table into ods.db with progress; bad requests are refused and change nothing")
    func bootstrapOnRequest() async throws {
        let setup = try await Self.setup(rows: 2500)
        do {
            try await setup.launch()
            let endpoint = "\(setup.url)/v1/bootstrap"
            #expect(try await Self.post("\(endpoint)?table=shop.items", token: nil).0 == 401)
            #expect(try await Self.post("\(endpoint)?table=shop.items", token: "wrong").0 == 401)
            #expect(try await Self.post(endpoint).0 == 400)
            #expect(try await Self.post("\(endpoint)?table=items").0 == 400)
            let excluded = try await Self.post("\(endpoint)?table=shop.hidden")
            #expect(excluded.0 == 400)
            #expect((excluded.1["error"] as? [String: Any])?["code"] as? String == "table_excluded")

            let (status, job) = try await Self.post("\(endpoint)?table=shop.items")
            #expect(status == 202)
            #expect(job["table"] as? String == "shop.items")
            let done = try await Self.awaitBootstrap(setup, table: "shop.items")
            #expect(done["state"] as? String == "complete")
            #expect(done["rows"] as? Int == 2500)

            let types = try await Self.itemRecordTypes(setup, atLeast: 2502)
            #expect(types.count == 2502)
            #expect(types.filter { $0 == "bootstrap-insert" }.count == 2500)
            #expect(types.filter { $0 == "bootstrap-start" }.count == 1)
            #expect(types.filter { $0 == "bootstrap-complete" }.count == 1)

            // A table the database does not have: accepted, then reported as failed; the stream goes on.
            #expect(try await Self.post("\(endpoint)?table=shop.missing").0 == 202)
            let missing = try await Self.awaitBootstrap(setup, table: "shop.missing")
            #expect(missing["state"] as? String == "failed")
            #expect((missing["error"] as? String)?.contains("missing") == true)
            try await setup.server.sql("INSERT INTO shop.items VALUES (9999, 'live', 1.00)")
            let after = try await Self.itemRecordTypes(setup, atLeast: 2503)
            #expect(after.filter { $0 == "insert" }.count == 1, "live changes still flow after a failed bootstrap")
        } catch {
            Issue.record("\(error)\n\(setup.cdc?.logTail() ?? "")")
        }
        await setup.stop()
    }

    @Test("a bootstrap unfinished when the service stopped runs again after the restart")
    func unfinishedBootstrapRunsAfterRestart() async throws {
        let setup = try await Self.setup(rows: 300)
        do {
            try await setup.launch()
            // What a crash in the middle of a snapshot leaves behind: the table still in the set of unfinished ones.
            await setup.cdc?.crash()
            let redis = RedisClient(configuration: RedisConfiguration(port: setup.stack.redisPort), logger: Logger(label: "test"))
            _ = try await redis.execute(["SADD", "cdc:bootstrap:\(setup.server.serverID):cdc", "shop.items"])
            try await setup.launch()
            let done = try await Self.awaitBootstrap(setup, table: "shop.items")
            #expect(done["state"] as? String == "complete")
            #expect(done["rows"] as? Int == 300)
            let members = try await redis.execute(["SMEMBERS", "cdc:bootstrap:\(setup.server.serverID):cdc"])
            #expect(members.array?.isEmpty == true, "a finished bootstrap is forgotten")
            let types = try await Self.itemRecordTypes(setup, atLeast: 302)
            #expect(types.filter { $0 == "bootstrap-insert" }.count == 300)
            let status = await setup.cdc?.terminate(timeout: .seconds(30))
            #expect(status == 0, "cdc stops on SIGTERM with status 0")
        } catch {
            Issue.record("\(error)\n\(setup.cdc?.logTail() ?? "")")
        }
        await setup.stop()
    }

    @Test("Kafka unreachable: cdc reports not ready, keeps the changes, and delivers every one once Kafka is back")
    func kafkaOutage() async throws {
        let setup = try await Self.setup(rows: 1)
        do {
            try await setup.launch()
            setup.stack.pauseNoida()
            for batch in 0..<20 {
                let values = (0..<10).map { "(\(1000 + batch * 10 + $0), 'during outage', 1.00)" }.joined(separator: ",")
                try await setup.server.sql("INSERT INTO items VALUES \(values)", database: "shop")
            }
            // The produce times out after KAFKA_MESSAGE_TIMEOUT (5 s); then readiness names Kafka.
            var readiness = ""
            let deadline = ContinuousClock.now + .seconds(30)
            while ContinuousClock.now < deadline {
                let (status, body) = try await HTTP.get("\(setup.url)/readyz")
                if status == 503 { readiness = String(decoding: body, as: UTF8.self); break }
                try await Task.sleep(for: .milliseconds(200))
            }
            setup.stack.resumeNoida()
            #expect(readiness.contains("kafka"), "readyz during the outage: \(readiness)")
            let messages = try await FailureHandlingTests.read("ods.db", count: 200, stack: setup.stack)
            let ids = Set(messages.compactMap { message -> Int? in
                guard let record = try? JSONSerialization.jsonObject(with: Data(message.value)) as? [String: Any],
                      record["type"] as? String == "insert" else { return nil }
                return (record["data"] as? [String: Any])?["id"] as? Int
            })
            #expect(ids == Set(1000..<1200), "every row inserted during the outage arrives")
            #expect(setup.cdc?.isRunning == true)
        } catch {
            Issue.record("\(error)\n\(setup.cdc?.logTail() ?? "")")
        }
        setup.stack.resumeNoida()
        await setup.stop()
    }

    @Test("a value that is not text in its character set: cdc stops naming it, or with CDC_ON_UNDECODABLE=base64 writes and counts it")
    func undecodableValue() async throws {
        let schema = "CREATE TABLE names (id INT PRIMARY KEY, name VARCHAR(10) CHARACTER SET cp1250);"
        // cp1250 has no character for 0x81, yet a single-byte column stores any byte.
        let insert = "INSERT INTO names VALUES (1, CONVERT(X'418142' USING cp1250)), (2, 'Žluť')"

        let failing = try await CDCUnderTest(serverID: 23, schema: schema)
        do {
            try await failing.launch()
            try await failing.server.sql(insert, database: "shop")
            let status = await failing.cdc?.waitForExit(timeout: .seconds(30))
            #expect(status != nil && status != 0, "cdc went on past an undecodable value: \(failing.cdc?.logTail(bytes: 4000) ?? "")")
            let log = failing.cdc?.logTail(bytes: 20_000) ?? ""
            #expect(log.contains("column `name` of `shop`.`names` is not valid cp1250 text (bytes 41 81 42)"), "\(log)")
            #expect(log.contains("CDC_ON_UNDECODABLE=base64"))
        } catch {
            Issue.record("\(error)\n\(failing.cdc?.logTail() ?? "")")
        }
        await failing.stop()

        let lenient = try await CDCUnderTest(serverID: 24, schema: schema, environment: ["CDC_ON_UNDECODABLE": "base64"])
        do {
            try await lenient.launch()
            try await lenient.server.sql(insert, database: "shop")
            let messages = try await FailureHandlingTests.read("ods.db", count: 2, stack: lenient.stack)
            let names = messages.compactMap { message -> String? in
                let record = try? JSONSerialization.jsonObject(with: Data(message.value)) as? [String: Any]
                return (record?["data"] as? [String: Any])?["name"] as? String
            }
            #expect(Set(names) == ["QYFC", "Žluť"], "the undecodable value as base64, the other as text")
            var counted: Double?
            for _ in 0..<20 where counted != 1 {
                try await Task.sleep(for: .milliseconds(500))
                let (_, body) = try await HTTP.get("\(lenient.url)/metrics")
                counted = String(decoding: body, as: UTF8.self).split(separator: "\n")
                    .first { $0.hasPrefix("cdc_undecodable_values_total ") }.flatMap { Double($0.split(separator: " ")[1]) }
            }
            #expect(counted == 1)
            #expect(lenient.cdc?.isRunning == true)
        } catch {
            Issue.record("\(error)\n\(lenient.cdc?.logTail() ?? "")")
        }
        await lenient.stop()
    }
}
