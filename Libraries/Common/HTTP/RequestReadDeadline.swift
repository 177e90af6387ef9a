import HummingbirdCore
import Metrics
import NIOCore
import NIOHTTPTypes

/// Closes a connection whose request (head to end of body) is not fully received within `timeout`:
/// a client that stops sending mid-request, or sends a byte now and then, does not hold a connection
/// (and its buffers) for longer than that. Time spent before the head is complete is bounded by the
/// server's idle timeout instead, as no request part exists yet.
final class RequestReadDeadline: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart

    private let timeout: TimeAmount
    private var deadline: Scheduled<Void>?

    init(timeout: TimeAmount) {
        self.timeout = timeout
    }

    /// `http_request_read_timeouts_total`: connections closed because a request took too long to arrive.
    static let cutOffs = Counter(label: "http_request_read_timeouts_total")

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            deadline?.cancel()
            let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
            deadline = context.eventLoop.scheduleTask(in: timeout) {
                RequestReadDeadline.cutOffs.increment()
                loopBound.value.close(promise: nil)
            }
        case .end:
            deadline?.cancel()
            deadline = nil
        case .body:
            break
        }
        context.fireChannelRead(data)
    }

    func channelInactive(context: ChannelHandlerContext) {
        deadline?.cancel()
        deadline = nil
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        deadline?.cancel()
        deadline = nil
    }
}
