@testable import ConnectServer
import NIOCore
import NIOHTTP1
import Testing

/// The connection's rules without a socket or a clock: each test feeds events in one
/// order and checks what the machine says to do.
struct SequencerStateMachineTests {
    typealias Machine = SequencerStateMachine
    static let t0 = NIODeadline.uptimeNanoseconds(1_000_000_000)

    static func limits(_ tweak: (inout ServerLimits) -> Void = { _ in }) -> ServerLimits {
        var limits = ServerLimits()
        tweak(&limits)
        return limits
    }

    static func head(_ uri: String = "/", _ method: HTTPMethod = .GET, version: HTTPVersion = .http1_1,
                     _ headers: [(String, String)] = []) -> HTTPServerRequestPart {
        .head(HTTPRequestHead(version: version, method: method, uri: uri, headers: HTTPHeaders(headers)))
    }

    static func response(_ status: HTTPResponseStatus = .ok, _ headers: [(String, String)] = [("Content-Length", "2")]) -> HTTPResponseHead {
        HTTPResponseHead(version: .http1_1, status: status, headers: HTTPHeaders(headers))
    }

    /// Answers the current request: head, then end.
    static func answer(_ machine: inout Machine, _ head: HTTPResponseHead = response(), now: NIODeadline = t0) -> (HTTPResponseHead, Machine.EndAction) {
        var head = head
        machine.answerHeadWritten(&head)
        return (head, machine.answerEnded(now: now))
    }

    /// Everything `next` hands on, until it has nothing.
    static func drain(_ machine: inout Machine) -> [Machine.ReadAction] {
        var actions: [Machine.ReadAction] = []
        while let action = machine.next(now: t0) { actions.append(action) }
        return actions
    }

    @Test func aPipelinedRequestWaitsForTheAnswerBeforeIt() {
        var machine = Machine(limits: Self.limits())
        #expect(machine.partRead(Self.head("/a"), now: Self.t0) == .deliver(Self.head("/a")))
        #expect(machine.partRead(.end(nil), now: Self.t0) == .deliver(.end(nil)))
        #expect(machine.partRead(Self.head("/b"), now: Self.t0) == .wait)
        #expect(machine.partRead(.end(nil), now: Self.t0) == .wait)
        #expect(Self.drain(&machine).isEmpty, "nothing passes while /a is being answered")
        let (_, end) = Self.answer(&machine)
        #expect(end == .write)
        #expect(Self.drain(&machine) == [.deliver(Self.head("/b")), .deliver(.end(nil))])
    }

    /// Defect 3: a parse error after a request in flight is answered after that request's
    /// answer, never instead of it.
    @Test func aDecoderErrorWaitsForTheAnswerInFlight() {
        var machine = Machine(limits: Self.limits())
        _ = machine.partRead(Self.head("/v1/connect/requirements"), now: Self.t0)
        _ = machine.partRead(.end(nil), now: Self.t0)
        #expect(machine.decoderFailed(.badRequest) == .wait)
        #expect(!machine.mayRead, "nothing more is read after the error")
        let (_, end) = Self.answer(&machine)
        #expect(end == .write)
        #expect(Self.drain(&machine) == [.fail(.badRequest)])
        #expect(machine.closed)
    }

    @Test func aDecoderErrorWithNothingInFlightIsAnsweredAtOnce() {
        var machine = Machine(limits: Self.limits())
        #expect(machine.decoderFailed(.badRequest) == .fail(.badRequest))
    }

    /// Defect 3, second form: after `Connection: close`, what follows is neither answered
    /// nor judged; the answer in flight is the last.
    @Test func nothingAfterConnectionCloseIsRead() {
        var machine = Machine(limits: Self.limits())
        _ = machine.partRead(Self.head("/v1/connect/requirements", .GET, [("Connection", "close")]), now: Self.t0)
        _ = machine.partRead(.end(nil), now: Self.t0)
        #expect(machine.partRead(Self.head("/"), now: Self.t0) == .wait)
        #expect(machine.decoderFailed(.badRequest) == .wait)
        let (head, end) = Self.answer(&machine)
        #expect(head.headers["connection"] == ["close"])
        #expect(end == .writeThenClose)
    }

    /// Defect 4: an HTTP/1.0 client that asked to keep the connection gets `close` on an
    /// answer whose end only a close can mark, and the connection ends after it.
    @Test func anHTTP10AnswerWithoutALengthClosesTheConnection() {
        var machine = Machine(limits: Self.limits())
        _ = machine.partRead(Self.head("/v1/x", .GET, version: .http1_0, [("Connection", "keep-alive")]), now: Self.t0)
        _ = machine.partRead(.end(nil), now: Self.t0)
        _ = machine.partRead(Self.head("/"), now: Self.t0)
        let (head, end) = Self.answer(&machine, Self.response(.ok, [("Content-Type", "application/json")]))
        #expect(head.headers["connection"] == ["close"])
        #expect(end == .writeThenClose)
    }

    @Test func anHTTP10AnswerWithALengthKeepsTheConnectionWhenAsked() {
        var machine = Machine(limits: Self.limits())
        _ = machine.partRead(Self.head("/", .GET, version: .http1_0, [("Connection", "keep-alive")]), now: Self.t0)
        _ = machine.partRead(.end(nil), now: Self.t0)
        let (head, end) = Self.answer(&machine)
        #expect(head.headers["connection"] == ["keep-alive"])
        #expect(end == .write)
        // Without keep-alive, HTTP/1.0 closes.
        var plain = Machine(limits: Self.limits())
        _ = plain.partRead(Self.head("/", .GET, version: .http1_0), now: Self.t0)
        _ = plain.partRead(.end(nil), now: Self.t0)
        #expect(Self.answer(&plain).1 == .writeThenClose)
    }

    /// Defect 1: while the client does not take what was written, no new request starts
    /// and nothing more is read; the send timer ends the connection.
    @Test func aClientThatDoesNotReadStopsTheReading() {
        var machine = Machine(limits: Self.limits())
        _ = machine.partRead(Self.head("/a"), now: Self.t0)
        _ = machine.partRead(.end(nil), now: Self.t0)
        machine.writabilityChanged(false, now: Self.t0)
        _ = Self.answer(&machine)
        #expect(machine.partRead(Self.head("/b"), now: Self.t0) == .wait)
        #expect(machine.partRead(.end(nil), now: Self.t0) == .wait)
        #expect(Self.drain(&machine).isEmpty, "a new request waits for the client to read")
        let reads = machine.readRequested()
        #expect(!reads)
        #expect(machine.timer?.kind == .send)
        machine.writabilityChanged(true, now: Self.t0)
        #expect(machine.mayRead)
        #expect(Self.drain(&machine) == [.deliver(Self.head("/b")), .deliver(.end(nil))])
        // Stuck again: the send timer fires and the connection closes.
        machine.writabilityChanged(false, now: Self.t0)
        #expect(machine.timerFired(now: Self.t0 + .seconds(61)) == .close)
    }

    @Test func readingStopsWhenTooManyRequestsAreQueued() {
        var machine = Machine(limits: Self.limits { $0.maxQueuedRequests = 2 })
        _ = machine.partRead(Self.head("/slow"), now: Self.t0)
        _ = machine.partRead(.end(nil), now: Self.t0)
        for _ in 0..<2 {
            _ = machine.partRead(Self.head("/"), now: Self.t0)
            _ = machine.partRead(.end(nil), now: Self.t0)
        }
        let reads = machine.readRequested()
        #expect(!reads)
        #expect(machine.readHeld)
        _ = Self.answer(&machine)
        _ = Self.drain(&machine)
        #expect(machine.mayRead)
    }

    /// A burst of pipelined requests answered at once (the fast path) starts at most a
    /// turn's budget; the rest wait for the next turn of the event loop.
    @Test func aBurstStartsAtMostATurnsBudget() {
        var machine = Machine(limits: Self.limits { $0.maxStartsPerTurn = 3 })
        var started = 0
        for _ in 0..<5 {
            if machine.partRead(Self.head("/"), now: Self.t0) == .deliver(Self.head("/")) {
                started += 1
                _ = Self.answer(&machine)
            }
            _ = machine.partRead(.end(nil), now: Self.t0)
        }
        #expect(started == 3)
        #expect(machine.needsNewTurn)
        #expect(Self.drain(&machine).isEmpty)
        machine.newTurn()
        #expect(Self.drain(&machine).first == .deliver(Self.head("/")))
    }

    /// The body of a request queued behind a slow answer is bounded too: reading stops.
    @Test func aQueuedBodyStopsTheReadingPastItsLimit() {
        var machine = Machine(limits: Self.limits { $0.maxQueuedBodyBytes = 1000 })
        _ = machine.partRead(Self.head("/slow"), now: Self.t0)
        _ = machine.partRead(.end(nil), now: Self.t0)
        _ = machine.partRead(Self.head("/v1/x", .POST, [("Content-Length", "5000")]), now: Self.t0)
        _ = machine.partRead(.body(ByteBuffer(repeating: 0x61, count: 600)), now: Self.t0)
        #expect(machine.mayRead)
        _ = machine.partRead(.body(ByteBuffer(repeating: 0x61, count: 600)), now: Self.t0)
        #expect(!machine.mayRead, "1,200 queued body bytes, over the limit of 1,000")
        _ = Self.answer(&machine)
        #expect(Self.drain(&machine).count == 3, "the head and both parts go on once /slow is answered")
        #expect(machine.mayRead)
    }

    /// Defect 2: a new connection that sends nothing, a head that never completes, a body
    /// that stops, and a kept-alive connection left idle all end.
    @Test func eachWaitHasItsTimer() {
        var silent = Machine(limits: Self.limits())
        silent.connectionOpened(now: Self.t0)
        #expect(silent.timer?.kind == .head)
        #expect(silent.timerFired(now: Self.t0 + .seconds(1)) == .reschedule(Self.t0 + .seconds(15)))
        #expect(silent.timerFired(now: Self.t0 + .seconds(15)) == .fail(.requestTimeout))

        var slowloris = Machine(limits: Self.limits())
        slowloris.connectionOpened(now: Self.t0)
        for second in 1...14 { _ = slowloris.bytesRead(1, now: Self.t0 + .seconds(Int64(second))) }
        #expect(slowloris.timerFired(now: Self.t0 + .seconds(15)) == .fail(.requestTimeout), "bytes do not extend the head's time")

        var slowBody = Machine(limits: Self.limits())
        _ = slowBody.partRead(Self.head("/v1/x", .POST, [("Content-Length", "10")]), now: Self.t0)
        #expect(slowBody.timer?.kind == .body)
        _ = slowBody.partRead(.body(ByteBuffer(string: "12345")), now: Self.t0 + .seconds(20))
        #expect(slowBody.timerFired(now: Self.t0 + .seconds(31)) == .reschedule(Self.t0 + .seconds(50)))
        #expect(slowBody.timerFired(now: Self.t0 + .seconds(50)) == .fail(.requestTimeout))

        var idle = Machine(limits: Self.limits())
        _ = idle.partRead(Self.head("/"), now: Self.t0)
        _ = idle.partRead(.end(nil), now: Self.t0)
        #expect(idle.timer == nil, "no client timer while the answer is prepared")
        _ = Self.answer(&idle)
        #expect(idle.timer?.kind == .idle)
        #expect(idle.timerFired(now: Self.t0 + .seconds(60)) == .close)
    }

    /// Bytes that complete no head after an answer start the head timer; the idle timer
    /// does not let a slow head stay for a minute.
    @Test func aHeadStartedOnAKeptConnectionGetsTheHeadTimer() {
        var machine = Machine(limits: Self.limits())
        _ = machine.partRead(Self.head("/"), now: Self.t0)
        _ = machine.partRead(.end(nil), now: Self.t0)
        _ = machine.bytesRead(40, now: Self.t0)
        _ = Self.answer(&machine)
        #expect(machine.timer?.kind == .idle)
        _ = machine.bytesRead(3, now: Self.t0 + .seconds(5))
        #expect(machine.timer?.kind == .head)
        #expect(machine.timer?.deadline == Self.t0 + .seconds(20))
    }

    /// Defect 8: only a lone `chunked` is taken; both framings at once is refused.
    @Test(arguments: [
        ([("Transfer-Encoding", "identity, chunked")], Machine.ReadAction.fail(.notImplemented)),
        ([("Transfer-Encoding", "gzip")], .fail(.notImplemented)),
        ([("Transfer-Encoding", "chunked"), ("Transfer-Encoding", "chunked")], .fail(.notImplemented)),
        ([("Transfer-Encoding", "chunked"), ("Content-Length", "4")], .fail(.badRequest)),
        ([("Content-Length", "4"), ("Content-Length", "5")], .fail(.badRequest)),
        ([("Content-Length", "+4")], .fail(.badRequest)),
    ])
    func requestFramingIsStrict(headers: [(String, String)], expected: Machine.ReadAction) {
        var machine = Machine(limits: Self.limits())
        #expect(machine.partRead(Self.head("/v1/x", .POST, headers), now: Self.t0) == expected)
        #expect(machine.closed)
    }

    @Test func aLoneChunkedAndAPlainLengthAreTaken() {
        for headers in [[("Transfer-Encoding", "Chunked")], [("Content-Length", "4")], [("Content-Length", "4"), ("Content-Length", "4")]] {
            var machine = Machine(limits: Self.limits())
            #expect(machine.partRead(Self.head("/v1/x", .POST, headers), now: Self.t0) == .deliver(Self.head("/v1/x", .POST, headers)))
        }
    }

    /// Defect 11: more header lines than the limit, or a head larger than it, is 431.
    @Test func tooManyOrTooLargeHeadersAre431() {
        var many = Machine(limits: Self.limits { $0.maxHeaderCount = 3 })
        #expect(many.partRead(Self.head("/", .GET, (0..<4).map { ("X-\($0)", "v") }), now: Self.t0) == .fail(.headerFieldsTooLarge))

        var large = Machine(limits: Self.limits { $0.maxHeaderBytes = 1000 })
        large.connectionOpened(now: Self.t0)
        #expect(large.bytesRead(600, now: Self.t0) == .wait)
        #expect(large.bytesRead(600, now: Self.t0) == .fail(.headerFieldsTooLarge))
        #expect(Machine.Failure(HTTPParserError.headerOverflow) == .headerFieldsTooLarge)
    }

    /// Defect 10: an answer given at the head while a large body is still coming is the
    /// connection's last; a small body is read and dropped so the connection goes on.
    @Test func aRefusalBeforeALargeBodyClosesTheConnection() {
        var large = Machine(limits: Self.limits())
        _ = large.partRead(Self.head("/v1/x", .POST, [("Content-Length", "30000000")]), now: Self.t0)
        let (head, end) = Self.answer(&large, Self.response(.unauthorized))
        #expect(head.headers["connection"] == ["close"])
        #expect(end == .writeThenClose)

        var small = Machine(limits: Self.limits())
        _ = small.partRead(Self.head("/v1/x", .POST, [("Content-Length", "10")]), now: Self.t0)
        #expect(Self.answer(&small, Self.response(.unauthorized)).1 == .write)
        #expect(small.partRead(.body(ByteBuffer(string: "0123456789")), now: Self.t0) == .wait, "dropped, not passed on")
        #expect(small.partRead(.end(nil), now: Self.t0) == .deliver(.end(nil)))
        #expect(small.partRead(Self.head("/next"), now: Self.t0) == .deliver(Self.head("/next")))
    }

    @Test func aBodyTooLongOnTheWireIsRefused() {
        var machine = Machine(limits: Self.limits { $0.maxBodyWireBytes = 100 })
        _ = machine.partRead(Self.head("/v1/x", .POST, [("Transfer-Encoding", "chunked")]), now: Self.t0)
        #expect(machine.bytesRead(80, now: Self.t0) == .wait)
        #expect(machine.bytesRead(80, now: Self.t0) == .fail(.payloadTooLarge))
    }

    @Test func gracefulShutdownFinishesTheAnswerInProgressOnly() {
        var machine = Machine(limits: Self.limits())
        _ = machine.partRead(Self.head("/a"), now: Self.t0)
        _ = machine.partRead(.end(nil), now: Self.t0)
        _ = machine.partRead(Self.head("/b"), now: Self.t0)
        #expect(machine.quiesce() == .wait)
        let (head, end) = Self.answer(&machine)
        #expect(head.headers["connection"] == ["close"])
        #expect(end == .writeThenClose)

        var idle = Machine(limits: Self.limits())
        #expect(idle.quiesce() == .close)
    }

    /// Half-close: what was sent whole is answered, then the connection closes; a request
    /// cut off mid-body can never be answered honestly.
    @Test func aClientThatEndsItsInput() {
        var machine = Machine(limits: Self.limits())
        _ = machine.partRead(Self.head("/a"), now: Self.t0)
        _ = machine.partRead(.end(nil), now: Self.t0)
        _ = machine.partRead(Self.head("/b"), now: Self.t0)
        _ = machine.partRead(.end(nil), now: Self.t0)
        #expect(machine.inputClosed() == .wait)
        #expect(Self.answer(&machine).1 == .write)
        #expect(Self.drain(&machine) == [.deliver(Self.head("/b")), .deliver(.end(nil))])
        #expect(Self.answer(&machine).1 == .write)
        #expect(Self.drain(&machine) == [.close])

        var cut = Machine(limits: Self.limits())
        _ = cut.partRead(Self.head("/v1/x", .POST, [("Content-Length", "10")]), now: Self.t0)
        #expect(cut.inputClosed() == .fail(.badRequest))
    }
}
