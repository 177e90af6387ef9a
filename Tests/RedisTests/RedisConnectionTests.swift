import Foundation
import Logging
import Redis
import Testing
import TestSupport

@Suite("RedisClient connection handling")
struct RedisConnectionTests {
    @Test("a closed port fails with .connection well within the connect timeout")
    func closedPort() async throws {
        let port = try Network.freePort()
        let client = RedisClient(configuration: RedisConfiguration(port: port, connectTimeout: .seconds(2)),
                                 logger: Logger(label: "closed-port"))
        await #expect {
            _ = try await client.execute(["PING"])
        } throws: { error in
            guard case RedisError.connection(let message) = error else { return false }
            return message.contains("\(port)")
        }
    }

    @Test("a connection killed by the server is replaced on the next call")
    func reconnectAfterKill() async throws {
        let stack = try await LocalStack.shared()
        let client = makeRedisClient(stack)
        let firstID = try #require(try await client.execute(["CLIENT", "ID"]).int)
        // Kill only this client's connection: other tests share the server.
        let killer = makeRedisClient(stack)
        #expect(try await killer.execute(["CLIENT", "KILL", "ID", "\(firstID)", "TYPE", "normal"]) == .integer(1))
        let key = LocalStack.uniqueName("after-kill")
        #expect(try await client.execute(["SET", key, "ok"]) == .simpleString("OK"))
        let secondID = try #require(try await client.execute(["CLIENT", "ID"]).int)
        #expect(secondID != firstID)
    }

    @Test("a command outliving the command timeout fails with .connection, and the next call reconnects")
    func commandTimeout() async throws {
        let client = makeRedisClient(try await LocalStack.shared(), commandTimeout: .milliseconds(300))
        await #expect {
            _ = try await client.execute(["BLPOP", LocalStack.uniqueName("empty"), "5"])
        } throws: { error in
            guard case RedisError.connection(let message) = error else { return false }
            return message.contains("timed out")
        }
        #expect(try await client.execute(["PING"]) == .simpleString("PONG"))
    }

    @Test("a rejected AUTH throws .server without revealing the password")
    func authFailure() async throws {
        let stack = try await LocalStack.shared()
        let secret = "s3cret-\(UUID().uuidString)"
        let client = RedisClient(
            configuration: RedisConfiguration(host: stack.redisHost, port: stack.redisPort, password: secret),
            logger: Logger(label: "auth"))
        do {
            _ = try await client.execute(["PING"])
            Issue.record("AUTH against a server without a password should fail")
        } catch RedisError.server(let message) {
            #expect(message.contains("AUTH"))
            #expect(!message.contains(secret))
        }
    }
}
