import Foundation
import Testing
import TestSupport

/// The business stream through its real processes: shop-sim commits the shop's traffic to MariaDB, cdc
/// streams it, the enricher joins it, sink-es indexes it. `scripts/compare_business.py` then checks every
/// order and order-line document field by field against a SQL join of the final database, and the per-day
/// aggregates, as query-api answers them, against shop-sim's expected answers, to the cent.
@Suite(.serialized, .timeLimit(.minutes(10)))
struct BusinessStreamEndToEndTests {
    /// Starts shop-sim's business traffic (no behaviour events) against the pipeline's shop database.
    static func simulate(_ pipeline: PipelineUnderTest, seed: UInt64, days: Int, ordersPerDay: Int) throws -> (ManagedProcess, URL) {
        let database = try #require(pipeline.database)
        let expected = pipeline.stack.directory.appendingPathComponent("business-expected-\(seed).json")
        let sim = try ManagedProcess(
            name: "shop-sim-\(seed)", executable: try Tools.builtProduct("shop-sim"),
            arguments: ["--devices", "1", "--days", "\(days)", "--seed", "\(seed)", "--start-date", "2026-11-01", "--skip-events",
                        "--shop-db", "\(database.host):\(database.port)", "--shop-db-user", database.user,
                        "--orders-per-day", "\(ordersPerDay)", "--business-expected", expected.path],
            logDirectory: pipeline.stack.directory)
        return (sim, expected)
    }

    /// Runs the comparison until everything matches or `wait` seconds pass; its exit status and output.
    static func compare(_ pipeline: PipelineUnderTest, expected: URL, wait: Int = 180) async throws -> (Int32?, String) {
        let database = try #require(pipeline.database)
        let compare = try ManagedProcess(
            name: "compare-business", executable: try Tools.path(of: "python3"),
            arguments: [Tools.repositoryRoot.appendingPathComponent("scripts/compare_business.py").path,
                        "--expected", expected.path, "--es-url", pipeline.stack.elasticsearchURL, "--wait", "\(wait)",
                        "--mariadb", "\(database.host):\(database.port)", "--mariadb-user", database.user,
                        "--query-url", pipeline.url("query-api")],
            environment: ["QUERY_API_TOKEN": pipeline.queryToken],
            logDirectory: pipeline.stack.directory)
        let status = await compare.waitForExit(timeout: .seconds(wait + 60))
        return (status, compare.logTail(bytes: 6000))
    }

    /// Waits until the enricher holds no line (or the time is up); the last count.
    static func heldLines(_ pipeline: PipelineUnderTest, until expected: Double, timeout: Duration = .seconds(30)) async throws -> Double? {
        let deadline = ContinuousClock.now + timeout
        while true {
            let held = try await pipeline.metric("enricher", "enricher_held_lines")
            if held == expected || ContinuousClock.now >= deadline { return held }
            try await Task.sleep(for: .milliseconds(300))
        }
    }

    @Test("the order wide table equals the shop database, with cdc, enricher and sink-es each SIGKILLed mid-stream")
    func crashes() async throws {
        let seed = UInt64(ProcessInfo.processInfo.environment["BUSINESS_TESTS_SEED"] ?? "") ?? UInt64.random(in: 1...999_999)
        print("business stream crash test: seed \(seed) (BUSINESS_TESTS_SEED repeats it)")
        let pipeline = try await PipelineUnderTest.start(services: PipelineUnderTest.businessServices, shopDatabase: true)
        do {
            let (sim, expected) = try Self.simulate(pipeline, seed: seed, days: 3, ordersPerDay: 700)
            var kills: [String] = []
            let began = ContinuousClock.now
            for round in 0..<6 {
                try await Task.sleep(for: .milliseconds(1_500 + Int.random(in: 0...1_500)))
                let victim = ["enricher", "sink-es", "cdc"][round % 3]
                kills.append("\(victim) at \(ContinuousClock.now - began)")
                try await pipeline.crashAndRestart(victim)
            }
            print("business stream crash test: killed \(kills)")
            let simStatus = await sim.waitForExit(timeout: .seconds(240))
            #expect(simStatus == 0, "shop-sim failed: \(sim.logTail())")
            let (status, output) = try await Self.compare(pipeline, expected: expected)
            #expect(status == 0, "the indices differ from the database or the expected answers:\n\(output)\n\(pipeline.logs())")
            #expect(try await Self.heldLines(pipeline, until: 0) == 0)
        } catch {
            await pipeline.stop()
            throw error
        }
        await pipeline.stop()
    }

    @Test("Redis frozen for 20 s mid-stream: processing waits, resumes, and nothing is lost or doubled")
    func redisOutage() async throws {
        let pipeline = try await PipelineUnderTest.start(services: PipelineUnderTest.businessServices, shopDatabase: true)
        do {
            let (sim, expected) = try Self.simulate(pipeline, seed: 4242, days: 2, ordersPerDay: 500)
            try await Task.sleep(for: .seconds(2))
            pipeline.stack.pauseRedis()
            try await Task.sleep(for: .seconds(20))
            let (readiness, body) = try await pipeline.readiness("enricher")
            pipeline.stack.resumeRedis()
            #expect(readiness == 503, "the enricher should report that it cannot process: \(body)")
            let simStatus = await sim.waitForExit(timeout: .seconds(240))
            #expect(simStatus == 0, "shop-sim failed: \(sim.logTail())")
            let (status, output) = try await Self.compare(pipeline, expected: expected)
            #expect(status == 0, "after the outage the indices differ:\n\(output)\n\(pipeline.logs())")
            for service in PipelineUnderTest.businessServices {
                #expect(pipeline.processes[service]?.isRunning == true, "\(service) exited during the outage")
            }
        } catch {
            pipeline.stack.resumeRedis()
            await pipeline.stop()
            throw error
        }
        await pipeline.stop()
    }

    @Test("lines whose order, SKU, user or province arrive later are held, then completed as the rows arrive")
    func factsBeforeDimensions() async throws {
        let pipeline = try await PipelineUnderTest.start(services: PipelineUnderTest.businessServices, shopDatabase: true)
        do {
            let database = try #require(pipeline.database)
            // Lines first, their order later; an order whose user, province and SKU do not exist yet.
            try await database.sql("""
                INSERT INTO order_detail VALUES (9001, 901, 1, 'a', 10.00, 1, '2026-11-05 10:00:00', 10.00, 0, 0);
                INSERT INTO order_info VALUES (902, 'x', 90002, 90, '1001', 25.50, 25.50, 0, 0, 0, '2026-11-05 11:00:00', NULL);
                INSERT INTO order_detail VALUES (9002, 902, 900, 'b', 25.50, 1, '2026-11-05 11:00:00', 25.50, 0, 0);
                """, database: "gmall")
            #expect(try await Self.heldLines(pipeline, until: 2) == 2)
            try await database.sql("""
                INSERT INTO user_info VALUES (90001, 'early', 'Early', 'F', '1990-01-01', '1', '2026-11-05 09:00:00', NULL);
                INSERT INTO order_info VALUES (901, 'y', 90001, 1, '1002', 10.00, 10.00, 0, 0, 0, '2026-11-05 10:00:00', NULL);
                INSERT INTO user_info VALUES (90002, 'late', 'Late', 'M', '2000-11-06', '1', '2026-11-05 12:00:00', NULL);
                """, database: "gmall")
            #expect(try await Self.heldLines(pipeline, until: 1) == 1, "line 9001 completes when its order arrives")
            try await database.sql("""
                INSERT INTO base_province VALUES (90, '测试省', '9', '990000', 'CN-99', 'CN-TS');
                INSERT INTO sku_info SELECT 900, spu_id, 25, 'late sku', tm_id, category3_id, '2026-11-05 12:00:00' FROM sku_info WHERE id = 1;
                """, database: "gmall")
            #expect(try await Self.heldLines(pipeline, until: 0) == 0, "line 9002 completes when its SKU and province arrive")
            let (status, body) = try await HTTP.get("\(pipeline.stack.elasticsearchURL)/gmall_order_wide/_doc/9002")
            #expect(status == 200)
            let document = try JSONSerialization.jsonObject(with: body) as? [String: Any]
            let source = document?["_source"] as? [String: Any]
            #expect(source?["province_name"] as? String == "测试省")
            #expect(source?["user_age"] as? Int == 25)
            #expect(source?["split_total_amount_cents"] as? Int == 2550)
        } catch {
            await pipeline.stop()
            throw error
        }
        await pipeline.stop()
    }
}
