import NIOCore
import NIOHTTP1

/// The rules of one client connection, as a value: which request the handlers behind may
/// see, in what order answers leave, when the connection must close, when reading stops,
/// and which timer runs. Every call returns what to do; ``RequestSequencer`` does it. No
/// socket, no clock (callers pass `now`), so every order of events can be tested as is.
///
/// A request is *current* from its head until both its last part has been read and its
/// answer has ended; the next request waits in the queue until then. Modelled on NIO's
/// `HTTPServerPipelineHandler` and Hummingbird's `HTTPConnectionStateHandler`, with the
/// framing checks, limits and timers of nginx added.
struct SequencerStateMachine {
    /// Why the server answers on its own and closes.
    enum Failure: Equatable {
        case badRequest, requestTimeout, payloadTooLarge, headerFieldsTooLarge, notImplemented

        var status: HTTPResponseStatus {
            switch self {
            case .badRequest: .badRequest
            case .requestTimeout: .requestTimeout
            case .payloadTooLarge: .payloadTooLarge
            case .headerFieldsTooLarge: .requestHeaderFieldsTooLarge
            case .notImplemented: .notImplemented
            }
        }

        /// What the decoder's error means for the client.
        init(_ error: any Error) {
            if let error = error as? HTTPParserError, case .headerOverflow = error {
                self = .headerFieldsTooLarge
            } else {
                self = .badRequest
            }
        }
    }

    /// What arrived, in order: request parts, or the point where the input became unusable.
    enum Inbound {
        case part(HTTPServerRequestPart)
        case failure(Failure)
    }

    /// What to do with something that was read, or with the next thing in the queue.
    enum ReadAction: Equatable {
        /// Pass it to the handlers behind.
        case deliver(HTTPServerRequestPart)
        /// Nothing now: it was queued, or dropped.
        case wait
        /// Write this failure's answer, then close.
        case fail(Failure)
        /// Close without a word: an answer is half written, or no answer is owed.
        case close
    }

    enum EndAction: Equatable {
        /// Write the end and go on with the queue.
        case write
        /// Write the end, and close once it has left.
        case writeThenClose
    }

    /// The timers, one at a time.
    enum Timer: Equatable {
        /// Waiting for the next request on a kept-alive connection.
        case idle
        /// Part of a head has come; the rest must follow.
        case head
        /// A body is being read.
        case body
        /// An answer waits for a client that does not read.
        case send
    }

    private struct Current {
        var method: HTTPMethod
        var version: HTTPVersion
        var keepAlive: Bool
        var framing: RequestFraming
        var requestEnded = false
        var answerStarted = false
        var answerEnded = false
        /// Wire bytes read while its body came.
        var bodyWireBytes = 0
        /// Body bytes dropped after its answer ended.
        var discarded = 0
    }

    let limits: ServerLimits
    private var current: Current?
    private var queue = CircularBuffer<Inbound>()
    private var queuedHeads = 0
    private var queuedBodyBytes = 0
    /// Requests started in this turn of the event loop.
    private var startsThisTurn = 0
    /// False once nothing more may be taken from the client: after `Connection: close`,
    /// a failure, the end of its input, or a graceful shutdown.
    private var takesRequests = true
    /// The current answer is the connection's last.
    private var closeAfterAnswer = false
    /// The input ended: close once what is queued has been answered.
    private var closeWhenDrained = false
    private var inputEnded = false
    private var writable = true
    /// A head or an end came out of the decoder during the current read.
    private var boundaryInRead = false
    /// Raw bytes since the last head, an upper bound on the head being read.
    private var headBytes = 0
    private(set) var closed = false
    /// A `read()` was held back; call `read()` when ``mayRead`` turns true.
    private(set) var readHeld = false
    /// The running timer and when it fires.
    private(set) var timer: (kind: Timer, deadline: NIODeadline)?

    init(limits: ServerLimits) {
        self.limits = limits
    }

    // MARK: Connection

    /// A new connection must send its first head within the header timeout.
    mutating func connectionOpened(now: NIODeadline) {
        timer = (.head, now + limits.headerTimeout)
    }

    // MARK: Reading

    /// A head or a body part or an end came out of the decoder.
    mutating func partRead(_ part: HTTPServerRequestPart, now: NIODeadline) -> ReadAction {
        guard takesRequests else {
            // After `Connection: close` or a failure nothing more is read; the current request's
            // own parts still go on.
            if current != nil, !current!.requestEnded, queue.isEmpty, !isHead(part) { return partOfCurrent(part, now: now) }
            return .wait
        }
        switch part {
        case .head, .end: boundaryInRead = true
        case .body: break
        }
        if queue.isEmpty, let current {
            if !current.requestEnded, !isHead(part) { return partOfCurrent(part, now: now) }
        } else if queue.isEmpty, case .head(let head) = part, writable, startsThisTurn < limits.maxStartsPerTurn {
            return start(head, now: now)
        }
        enqueue(.part(part))
        return .wait
    }

    /// The decoder failed: what is queued before it is answered first, then its failure.
    mutating func decoderFailed(_ failure: Failure) -> ReadAction {
        guard !closed else { return .wait }
        // The current request can never end: answered now if its answer has not begun.
        if let current, !current.requestEnded, queue.isEmpty { return failOrClose(failure) }
        // After `Connection: close`, what follows is not read, let alone judged.
        guard takesRequests else { return .wait }
        takesRequests = false
        queue.append(.failure(failure))
        return next(now: nil) ?? .wait
    }

    /// A read of `count` bytes went through the decoder (``ReadMeter``).
    mutating func bytesRead(_ count: Int, now: NIODeadline) -> ReadAction {
        let boundary = boundaryInRead
        boundaryInRead = false
        guard !closed else { return .wait }
        if var current, !current.requestEnded, queue.isEmpty {
            current.bodyWireBytes += count
            self.current = current
            if current.bodyWireBytes > limits.maxBodyWireBytes { return failOrClose(.payloadTooLarge) }
            return .wait
        }
        guard takesRequests else { return .wait }
        // What follows the last message boundary of a read is unknown; a read without one
        // is all head. The bound is off by at most one read.
        headBytes = boundary ? 0 : headBytes + count
        if headBytes > limits.maxHeaderBytes {
            takesRequests = false
            queue.append(.failure(.headerFieldsTooLarge))
            return next(now: now) ?? .wait
        }
        // Bytes that completed nothing while nothing is being answered start a head.
        if current == nil, queue.isEmpty, !boundary, timer?.kind == .idle {
            timer = (.head, now + limits.headerTimeout)
        }
        return .wait
    }

    /// Whether the handler may ask the socket for more bytes now.
    var mayRead: Bool {
        guard !closed, !inputEnded else { return false }
        // The current request's body is always read: its answer may wait for it.
        if let current, !current.requestEnded, queue.isEmpty { return true }
        return takesRequests && writable && queuedHeads < limits.maxQueuedRequests && queuedBodyBytes < limits.maxQueuedBodyBytes
    }

    /// The channel's `read()`: passes it on, or holds it until ``mayRead``.
    mutating func readRequested() -> Bool {
        readHeld = !mayRead
        return !readHeld
    }

    /// The held read was made.
    mutating func readResumed() { readHeld = false }

    /// The client ended its input (half-close).
    mutating func inputClosed() -> ReadAction {
        inputEnded = true
        takesRequests = false
        guard !closed else { return .wait }
        if let current, !current.requestEnded, queue.isEmpty {
            // The request can never end: answered if its answer has not begun.
            return failOrClose(.badRequest)
        }
        closeWhenDrained = true
        if current == nil, queue.isEmpty {
            markClosed()
            return .close
        }
        return .wait
    }

    /// Graceful shutdown: the answer in progress finishes, nothing queued starts.
    mutating func quiesce() -> ReadAction {
        takesRequests = false
        closeAfterAnswer = true
        clearQueue()
        // A client that does not take its answer is not waited for.
        guard current == nil || !writable, !closed else { return .wait }
        markClosed()
        return .close
    }

    // MARK: Writing

    /// The head of the current answer is going out. Sets `Connection` so the client knows
    /// whether another answer will follow, and ends the connection after an answer whose
    /// end only a close can mark (HTTP/1.0 without a length).
    /// - Returns: Whether `head` was changed.
    @discardableResult
    mutating func answerHeadWritten(_ head: inout HTTPResponseHead) -> Bool {
        guard var current else { return false }
        current.answerStarted = true
        let hasBody = !(current.method == .HEAD || head.status.code < 200 || head.status == .noContent || head.status == .notModified)
        if hasBody, current.version == .http1_0, !head.headers.contains(name: "content-length") {
            closeAfterAnswer = true
        }
        if !current.keepAlive { closeAfterAnswer = true }
        // A body still coming that is too large to drop, or of unknown size: the answer is the last.
        if !current.requestEnded {
            switch current.framing {
            case .length(let length) where length > limits.discardLimit: closeAfterAnswer = true
            case .chunked: closeAfterAnswer = true
            default: break
            }
        }
        self.current = current
        if closeAfterAnswer {
            head.headers.replaceOrAdd(name: "Connection", value: "close")
            return true
        } else if current.version == .http1_0 {
            head.headers.replaceOrAdd(name: "Connection", value: "keep-alive")
            return true
        }
        return false
    }

    /// The current answer's end is going out.
    mutating func answerEnded(now: NIODeadline) -> EndAction {
        guard var current else { return .write }
        current.answerEnded = true
        self.current = current
        if closeAfterAnswer {
            markClosed()
            return .writeThenClose
        }
        if current.requestEnded { finishCurrent(now: now) }
        return .write
    }

    /// The next thing to do from the queue, or nil when there is nothing to do now. Call
    /// in a loop after an answer ended or the channel became writable.
    mutating func next(now: NIODeadline?) -> ReadAction? {
        guard !closed else { return nil }
        if current != nil {
            // Only the current request's own parts may pass.
            guard let first = queue.first, case .part(let part) = first, !isHead(part), !current!.requestEnded else { return nil }
            _ = dequeue()
            return partOfCurrent(part, now: now ?? .now())
        }
        guard let first = queue.first else {
            if closeWhenDrained {
                markClosed()
                return .close
            }
            return nil
        }
        switch first {
        case .failure(let failure):
            clearQueue()
            markClosed()
            return .fail(failure)
        case .part(.head(let head)):
            guard writable, startsThisTurn < limits.maxStartsPerTurn else { return nil }
            _ = dequeue()
            return start(head, now: now ?? .now())
        case .part:
            // Parts of a request whose head was refused: dropped.
            _ = dequeue()
            return .wait
        }
    }

    /// Requests wait only because this turn's budget is spent: drain in a new turn.
    var needsNewTurn: Bool {
        guard startsThisTurn >= limits.maxStartsPerTurn, current == nil, writable, !closed,
              case .part(.head) = queue.first else { return false }
        return true
    }

    /// A new turn of the event loop: the budget of started requests is whole again.
    mutating func newTurn() { startsThisTurn = 0 }

    /// The channel's writability changed; reading and starting requests stop while the
    /// client does not take what was written.
    mutating func writabilityChanged(_ isWritable: Bool, now: NIODeadline) {
        writable = isWritable
        if !isWritable {
            if timer?.kind != .body { timer = (.send, now + limits.sendTimeout) }
        } else if timer?.kind == .send {
            timer = current == nil ? (.idle, now + limits.idleTimeout) : nil
        }
    }

    // MARK: Timers

    enum TimerAction: Equatable {
        /// The timer has moved on; schedule it again for this deadline.
        case reschedule(NIODeadline)
        case fail(Failure)
        case close
        case none
    }

    mutating func timerFired(now: NIODeadline) -> TimerAction {
        guard let timer, !closed else { return .none }
        guard now >= timer.deadline else { return .reschedule(timer.deadline) }
        markClosed()
        switch timer.kind {
        case .idle, .send:
            return .close
        case .head, .body:
            let answerable = current.map { !$0.answerStarted } ?? true
            return answerable ? .fail(.requestTimeout) : .close
        }
    }
}

private extension SequencerStateMachine {
    func isHead(_ part: HTTPServerRequestPart) -> Bool {
        if case .head = part { return true }
        return false
    }

    mutating func enqueue(_ inbound: Inbound) {
        switch inbound {
        case .part(.head): queuedHeads += 1
        case .part(.body(let chunk)): queuedBodyBytes += chunk.readableBytes
        default: break
        }
        queue.append(inbound)
    }

    mutating func dequeue() -> Inbound {
        let inbound = queue.removeFirst()
        switch inbound {
        case .part(.head): queuedHeads -= 1
        case .part(.body(let chunk)): queuedBodyBytes -= chunk.readableBytes
        default: break
        }
        return inbound
    }

    mutating func clearQueue() {
        queue.removeAll()
        queuedHeads = 0
        queuedBodyBytes = 0
    }

    /// A head becomes the current request, unless its framing is refused.
    mutating func start(_ head: HTTPRequestHead, now: NIODeadline) -> ReadAction {
        let framing = RequestFraming(head.headers)
        if case .refused(let status) = framing { return failOrClose(status == .notImplemented ? .notImplemented : .badRequest) }
        if head.headers.count > limits.maxHeaderCount { return failOrClose(.headerFieldsTooLarge) }
        startsThisTurn += 1
        current = Current(method: head.method, version: head.version, keepAlive: head.isKeepAlive, framing: framing)
        if !head.isKeepAlive {
            // Nothing after this request is read.
            takesRequests = false
            closeAfterAnswer = true
            clearQueue()
        }
        timer = (.body, now + limits.bodyTimeout)
        return .deliver(.head(head))
    }

    /// A body part or the end of the current request.
    mutating func partOfCurrent(_ part: HTTPServerRequestPart, now: NIODeadline) -> ReadAction {
        guard var current else { return .wait }
        switch part {
        case .head:
            return .wait
        case .body(let chunk):
            timer = (.body, now + limits.bodyTimeout)
            guard current.answerEnded else { return .deliver(part) }
            // Answered already: the rest of the body is dropped, within a limit.
            current.discarded += chunk.readableBytes
            self.current = current
            if current.discarded > limits.discardLimit {
                markClosed()
                return .close
            }
            return .wait
        case .end:
            current.requestEnded = true
            self.current = current
            if current.answerEnded {
                finishCurrent(now: now)
            } else {
                timer = writable ? nil : (.send, now + limits.sendTimeout)
            }
            return .deliver(part)
        }
    }

    mutating func finishCurrent(now: NIODeadline) {
        current = nil
        // An answer the client has not taken keeps its send timer.
        if timer?.kind == .send, !writable { return }
        timer = writable ? (.idle, now + limits.idleTimeout) : (.send, now + limits.sendTimeout)
    }

    /// Nothing more is taken or timed on the connection; the caller's action is its last.
    mutating func markClosed() {
        takesRequests = false
        closed = true
        timer = nil
    }

    /// A limit broken while a request is current: answered if its answer has not begun.
    mutating func failOrClose(_ failure: Failure) -> ReadAction {
        markClosed()
        if let current, current.answerStarted { return .close }
        return .fail(failure)
    }
}
