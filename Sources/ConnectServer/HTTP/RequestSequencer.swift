import Logging
import NIOCore
import NIOHTTP1

/// The first handler after NIO's HTTP/1 codec, and the only one that decides about the
/// connection: it hands the handlers behind one request at a time, keeps answers in the
/// order asked, answers what the decoder or the limits refuse, runs the timers, and stops
/// reading while the client does not read. The rules are ``SequencerStateMachine``'s;
/// this class only carries out what it returns.
final class RequestSequencer: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    struct Configuration: Sendable {
        var limits: ServerLimits
        let security: SecurityHeaders
        let accessLog: AccessLog
    }

    private let configuration: Configuration
    private var machine: SequencerStateMachine
    private var scheduled: (task: Scheduled<Void>, deadline: NIODeadline)?
    private var draining = false
    /// The last answer has left and the output is shut; the input is read and dropped until
    /// the client closes or the linger time passes (nginx's lingering close), so that the
    /// client's unread request bytes do not turn the close into a reset that destroys the
    /// answer before the client has read it.
    private var lingering = false
    private var turnScheduled = false

    /// How long a closing connection waits for the client to close its side.
    static let lingerTime = TimeAmount.seconds(2)

    init(_ configuration: Configuration) {
        self.configuration = configuration
        machine = SequencerStateMachine(limits: configuration.limits)
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { opened(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        opened(context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        scheduled?.task.cancel()
        scheduled = nil
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if lingering { return }
        perform(machine.partRead(unwrapInboundIn(data), now: context.eventLoop.now), context: context)
        syncTimer(context)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        context.fireChannelReadComplete()
        scheduleTurnIfNeeded(context)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // The decoder's errors are the client's; nothing behind this handler sees them, so
        // no answer in progress is cut short by another handler's 400.
        if lingering { return }
        if error is HTTPParserError || error is NIOHTTPDecoderError || error is ByteToMessageDecoderError {
            perform(machine.decoderFailed(.init(error)), context: context)
            drain(context: context)
        } else {
            context.close(promise: nil)
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        switch event {
        case let read as ReadMeter.BytesRead:
            perform(machine.bytesRead(read.count, now: context.eventLoop.now), context: context)
            syncTimer(context)
        case ChannelEvent.inputClosed:
            // Not passed on: Hummingbird would end its output while another handler answers.
            if lingering {
                context.close(promise: nil)
            } else {
                perform(machine.inputClosed(), context: context)
            }
        case is ChannelShouldQuiesceEvent:
            perform(machine.quiesce(), context: context)
        default:
            context.fireUserInboundEventTriggered(event)
        }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        machine.writabilityChanged(context.channel.isWritable, now: context.eventLoop.now)
        if context.channel.isWritable { drain(context: context) } else { syncTimer(context) }
        context.fireChannelWritabilityChanged()
    }

    func read(context: ChannelHandlerContext) {
        if lingering || machine.readRequested() { context.read() }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(var head):
            // Most answers pass as they are; only a changed head is wrapped anew.
            if machine.answerHeadWritten(&head) {
                context.write(wrapOutboundOut(.head(head)), promise: promise)
            } else {
                context.write(data, promise: promise)
            }
        case .body:
            context.write(data, promise: promise)
        case .end:
            switch machine.answerEnded(now: context.eventLoop.now) {
            case .write:
                context.write(data, promise: promise)
                drain(context: context)
            case .writeThenClose:
                // Closing at once would drop what the socket has not taken yet.
                let written = context.eventLoop.makePromise(of: Void.self)
                context.writeAndFlush(data, promise: written)
                written.futureResult.assumeIsolated().whenComplete { result in
                    promise?.completeWith(result)
                    self.linger(context)
                }
            }
        }
    }
}

private extension RequestSequencer {
    func opened(_ context: ChannelHandlerContext) {
        guard scheduled == nil, machine.timer == nil else { return }
        machine.connectionOpened(now: context.eventLoop.now)
        syncTimer(context)
    }

    func perform(_ action: SequencerStateMachine.ReadAction, context: ChannelHandlerContext) {
        switch action {
        case .deliver(let part):
            context.fireChannelRead(wrapInboundOut(part))
        case .wait:
            break
        case .fail(let failure):
            answer(failure, context: context)
        case .close:
            context.close(promise: nil)
        }
    }

    /// Hands on what waited, up to the next request that must wait. An answer given during
    /// delivery (the fast path answers at once) calls back here; the loop goes on instead.
    func drain(context: ChannelHandlerContext) {
        guard !draining else { return }
        draining = true
        defer { draining = false }
        var delivered = false
        while let action = machine.next(now: context.eventLoop.now) {
            if case .deliver = action { delivered = true }
            perform(action, context: context)
        }
        // The handlers behind flush at the end of a read; these parts came from the queue.
        if delivered { context.fireChannelReadComplete() }
        if machine.readHeld, machine.mayRead {
            machine.readResumed()
            context.read()
        }
        syncTimer(context)
        scheduleTurnIfNeeded(context)
    }

    /// What waits only for a new turn is drained in the next one, after the loop has
    /// served its other connections.
    func scheduleTurnIfNeeded(_ context: ChannelHandlerContext) {
        guard machine.needsNewTurn, !turnScheduled else { return }
        turnScheduled = true
        context.eventLoop.assumeIsolated().execute {
            self.turnScheduled = false
            self.machine.newTurn()
            self.drain(context: context)
        }
    }

    /// The server's own answer to what it refuses, then the close.
    func answer(_ failure: SequencerStateMachine.Failure, context: ChannelHandlerContext) {
        let started = context.eventLoop.now
        let answer = ErrorAnswer.plain(.init(code: Int(failure.status.code)), headers: [("Connection", "close")])
        let requestID = RequestIdentifier.generate()
        context.write(wrapOutboundOut(.head(answer.head(version: .http1_1, security: configuration.security, requestID: requestID))),
                      promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(answer.body))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in self.linger(context) }
        configuration.accessLog.record(AccessRecord(method: "-", rawPath: "-", query: nil, status: answer.status,
                                                    bytes: answer.body.readableBytes, started: started, requestID: requestID,
                                                    route: .refused, peer: context.channel.remoteAddress))
    }

    /// Shuts the output once the last answer has left, then drops what the client still
    /// sends until it closes, for at most ``lingerTime``.
    func linger(_ context: ChannelHandlerContext) {
        guard context.channel.isActive, !lingering else { return }
        lingering = true
        scheduled?.task.cancel()
        scheduled = nil
        context.close(mode: .output, promise: nil)
        context.eventLoop.assumeIsolated().scheduleTask(in: Self.lingerTime) { context.close(promise: nil) }
        context.read()
    }

    /// One scheduled task per connection: moved only when the machine's deadline comes
    /// sooner than the scheduled one; a later deadline is found when the task fires.
    func syncTimer(_ context: ChannelHandlerContext) {
        guard let deadline = machine.timer?.deadline else { return }
        if let scheduled {
            if scheduled.deadline <= deadline { return }
            scheduled.task.cancel()
        }
        let task = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) { [self] in
            self.scheduled = nil
            self.timerFired(context)
        }
        scheduled = (task, deadline)
    }

    func timerFired(_ context: ChannelHandlerContext) {
        switch machine.timerFired(now: context.eventLoop.now) {
        case .reschedule:
            syncTimer(context)
        case .fail(let failure):
            answer(failure, context: context)
        case .close:
            context.close(promise: nil)
        case .none:
            break
        }
    }
}
