import Foundation

/// `connect-server --development` beside `build-site --serve`: the same server and sandbox
/// as `make serve`, plus the live-reload endpoint, stopped with the builder.
final class DevelopmentServer: @unchecked Sendable {
    private let process: Process

    private init(process: Process) {
        self.process = process
    }

    /// Starts the `connect-server` built next to this executable.
    static func start(port: Int, output: String, content: String) throws -> DevelopmentServer {
        let binary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
            .deletingLastPathComponent().appendingPathComponent("connect-server")
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            throw ValidationErrorMessage("--serve needs connect-server beside build-site: run `swift build` first (looked for \(binary.path))")
        }
        let process = Process()
        process.executableURL = binary
        process.arguments = ["--port", String(port), "--public", output, "--content", content, "--development"]
        try process.run()
        let server = DevelopmentServer(process: process)
        // Ctrl+C or a TERM stops the server too, so no process is left behind.
        for signalNumber in [SIGINT, SIGTERM] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .main)
            source.setEventHandler {
                server.stop()
                exit(0)
            }
            source.resume()
            Self.sources.append(source)
        }
        return server
    }

    /// A build was written: the server loads it now (SIGHUP) rather than at its next look.
    func reload() {
        if process.isRunning { kill(process.processIdentifier, SIGHUP) }
    }

    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }

    nonisolated(unsafe) private static var sources: [any DispatchSourceSignal] = []
}

struct ValidationErrorMessage: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
