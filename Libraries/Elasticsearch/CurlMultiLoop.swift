import CCurl
import Foundation
import Synchronization

/// Drives every request of one `ElasticsearchClient` with libcurl's multi interface on a single thread of its
/// own: a request in flight holds no thread (a dashboard polling many searches costs one thread, not one per
/// search), and at most `maxConnections` connections are open; requests beyond that wait inside libcurl for a
/// free connection, their request timeout counting from submission. Connections are kept alive between requests.
final class CurlMultiLoop: Sendable {
    private let driver: Driver

    init(maxConnections: Int) {
        _ = curlGlobalInitResult  // before any other libcurl call; a failure is reported by each transfer
        // curl_multi_init fails only when memory is exhausted.
        guard let multi = curl_multi_init() else { fatalError("libcurl could not create a multi handle") }
        _ = gmall_curl_multi_setopt_long(multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, maxConnections)
        _ = gmall_curl_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, maxConnections)
        driver = Driver(multi: multi)
        let thread = Thread { [driver] in driver.run() }
        thread.name = "elasticsearch-curl"
        thread.start()
    }

    deinit {
        driver.stop()
    }

    /// Hands `transfer` to the loop; its completion runs on the loop's thread when it ends.
    func start(_ transfer: CurlTransfer) {
        driver.submit(transfer)
    }
}

/// The loop's state, owned by its thread; `submit` and `stop` may be called from any thread.
private final class Driver: @unchecked Sendable {
    private let multi: UnsafeMutableRawPointer
    private let inbox = Mutex<(transfers: [CurlTransfer], stopping: Bool)>(([], false))
    /// Transfers added to the multi handle, by easy handle; touched only by the loop's thread.
    private var running: [UnsafeMutableRawPointer: CurlTransfer] = [:]

    init(multi: UnsafeMutableRawPointer) {
        self.multi = multi
    }

    func submit(_ transfer: CurlTransfer) {
        let accepted = inbox.withLock { inbox in
            guard !inbox.stopping else { return false }
            inbox.transfers.append(transfer)
            return true
        }
        guard accepted else { return transfer.fail(.unreachable("the Elasticsearch client was closed")) }
        curl_multi_wakeup(multi)
    }

    func stop() {
        inbox.withLock { $0.stopping = true }
        curl_multi_wakeup(multi)
    }

    /// The thread's body: adds submitted transfers, lets libcurl move them on, finishes the completed ones,
    /// and sleeps in `curl_multi_poll` until a socket is ready, a libcurl timer is due or `submit` wakes it.
    func run() {
        while true {
            let (submitted, stopping) = inbox.withLock { inbox in
                defer { inbox.transfers.removeAll() }
                return (inbox.transfers, inbox.stopping)
            }
            for transfer in submitted {
                let code = curl_multi_add_handle(multi, transfer.easy)
                if code == CURLM_OK {
                    running[transfer.easy] = transfer
                } else {
                    transfer.fail(.unreachable("libcurl refused the request: \(String(cString: curl_multi_strerror(code)))"))
                }
            }
            var stillRunning: Int32 = 0
            _ = curl_multi_perform(multi, &stillRunning)
            finishCompleted()
            if stopping { break }
            // Idle, it sleeps until woken; busy, libcurl shortens the wait to its next timer.
            _ = curl_multi_poll(multi, nil, 0, running.isEmpty ? 60_000 : 1_000, nil)
        }
        for (easy, transfer) in running {
            curl_multi_remove_handle(multi, easy)
            transfer.fail(.unreachable("the Elasticsearch client was closed"))
        }
        running.removeAll()
        curl_multi_cleanup(multi)
    }

    private func finishCompleted() {
        var queued: Int32 = 0
        while let message = curl_multi_info_read(multi, &queued) {
            guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle else { continue }
            let code = message.pointee.data.result
            curl_multi_remove_handle(multi, easy)
            running.removeValue(forKey: easy)?.finish(code)
        }
    }
}
