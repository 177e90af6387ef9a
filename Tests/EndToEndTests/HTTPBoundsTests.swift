import Foundation
import Testing
import TestSupport

/// The HTTP server's bounds, on a real log-ingest: a client that stalls or trickles mid-request is cut
/// off after HTTP_READ_TIMEOUT, an idle connection after HTTP_IDLE_TIMEOUT, and beyond
/// HTTP_MAX_CONNECTIONS a new connection waits until one closes.
@Suite(.serialized, .timeLimit(.minutes(5)))
struct HTTPBoundsTests {
    /// A request head with a valid write key (without one, log-ingest answers 401 before reading the body).
    static func head(_ pipeline: PipelineUnderTest) -> String {
        "POST /v1/events HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nAuthorization: Bearer \(pipeline.writeKey)\r\n"
            + "Content-Length: 100000\r\n\r\n"
    }

    @Test func slowAndIdleClientsAreCutOff() async throws {
        let pipeline = try await PipelineUnderTest.start(services: ["log-ingest"], environment: [
            "log-ingest": ["HTTP_READ_TIMEOUT": "1s", "HTTP_IDLE_TIMEOUT": "2s"],
        ])
        do {
            let port = try #require(URL(string: pipeline.url("log-ingest"))?.port)

            // Headers and one byte of a 100 KB body, then nothing.
            let stalled = try RawConnection(port: port)
            #expect(stalled.send(Self.head(pipeline) + "["))
            // A byte of the body every 200 ms: each arrives well within any idle timeout.
            let trickling = try RawConnection(port: port)
            #expect(trickling.send(Self.head(pipeline)))
            // Half a request line, then nothing.
            let partialHead = try RawConnection(port: port)
            #expect(partialHead.send("POST /v1/ev"))
            // A finished request on a keep-alive connection, then nothing.
            let idle = try RawConnection(port: port)
            #expect(idle.send("GET /healthz HTTP/1.1\r\nHost: test\r\n\r\n"))

            var trickled = 0
            while trickled < 100, trickling.send("[") {
                trickled += 1
                try await Task.sleep(for: .milliseconds(200))
            }
            #expect(trickled < 100, "a trickling client was never cut off (sent \(trickled) bytes over \(trickled / 5) s)")

            let stalledEnd = await stalled.receive(for: .seconds(10))
            #expect(stalledEnd.closed, "a client that stopped mid-body was still connected")
            #expect(stalledEnd.data.isEmpty, "no response is owed to an unfinished request")
            #expect(await partialHead.receive(for: .seconds(10)).closed, "a half-sent request line was held open")
            let idleEnd = await idle.receive(for: .seconds(10))
            #expect(String(decoding: idleEnd.data, as: UTF8.self).hasPrefix("HTTP/1.1 200"))
            #expect(idleEnd.closed, "an idle keep-alive connection was held open")

            let cutOffs = try await pipeline.metric("log-ingest", "http_request_read_timeouts_total")
            #expect((cutOffs ?? 0) >= 2, "stalled and trickling requests are counted")
            // The server still serves everyone else.
            #expect(try await HTTP.get("\(pipeline.url("log-ingest"))/healthz").0 == 200)
        } catch {
            print(pipeline.logs())
            await pipeline.stop()
            throw error
        }
        await pipeline.stop()
    }

    @Test func connectionsBeyondTheLimitWaitForOneToClose() async throws {
        let pipeline = try await PipelineUnderTest.start(services: ["log-ingest"], environment: [
            "log-ingest": ["HTTP_MAX_CONNECTIONS": "2", "HTTP_IDLE_TIMEOUT": "5s"],
        ])
        do {
            let port = try #require(URL(string: pipeline.url("log-ingest"))?.port)
            // The readiness checks' keep-alive connection counts too: let the idle timeout close it.
            try await Task.sleep(for: .seconds(6))
            let request = "GET /healthz HTTP/1.1\r\nHost: test\r\n\r\n"
            var holders = [try RawConnection(port: port), try RawConnection(port: port)]
            for holder in holders {
                #expect(holder.send(request))
                #expect(String(decoding: await holder.receive(for: .seconds(1)).data, as: UTF8.self).hasPrefix("HTTP/1.1 200"))
            }
            // Both slots taken (for 5 s of idleness): a third connection is queued by the kernel, not accepted.
            let waiting = try RawConnection(port: port)
            #expect(waiting.send(request))
            #expect(await waiting.receive(for: .seconds(1)).data.isEmpty, "a third connection was served beyond the limit of 2")
            holders.removeFirst()  // closes it
            let answer = await waiting.receive(for: .seconds(2))
            #expect(String(decoding: answer.data, as: UTF8.self).hasPrefix("HTTP/1.1 200"), "the waiting connection was served once one closed")
            _ = holders
        } catch {
            print(pipeline.logs())
            await pipeline.stop()
            throw error
        }
        await pipeline.stop()
    }
}
