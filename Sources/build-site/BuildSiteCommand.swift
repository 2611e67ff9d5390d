import ArgumentParser
import Foundation
import SiteBuilder

/// `swift run build-site`: renders `content/` through `templates/` into `public/`.
///
/// ```
/// $ swift run build-site
/// Built 12 pages, 58 files (312 KiB) in 143 ms into public/
/// ```
@main
struct BuildSiteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build-site",
        abstract: "Render the connect API reference, the guides and the hosted connect page into a static folder."
    )

    @Option(help: "The folder of Markdown, the OpenAPI description and data files.")
    var content = "content"

    @Option(help: "The folder of Mustache layouts, partials and assets.")
    var templates = "templates"

    @Option(help: "The folder to write; it is replaced whole when the build succeeds.")
    var output = "public"

    @Option(help: "The address the site is published at (for canonical links, the sitemap and llms.txt).")
    var baseURL: String?

    @Flag(help: "Print each stage as it starts.")
    var verbose = false

    @Flag(help: "Rebuild whenever content/ or templates/ change.")
    var watch = false

    @Flag(help: "Watch, and serve the site with connect-server and the sandbox; open pages reload after each rebuild.")
    var serve = false

    @Option(help: "The port --serve listens on.")
    var port = 8080

    func run() async throws {
        // The sandbox answers on the next port (connect-server's default): its demo App's
        // origin is allowed whatever the port, as sandbox.yaml's list is for 8081.
        let sandbox = serve ? ["http://127.0.0.1:\(port + 1)", "http://localhost:\(port + 1)"] : []
        let options = SiteBuild.Options(content: content, templates: templates, output: output, baseURL: baseURL, development: serve,
                                        sandboxOrigins: sandbox)
        // Watching, each rebuild re-renders only the pages whose inputs changed.
        let cache = watch || serve ? RenderCache() : nil
        let succeeded = await build(options, cache: cache)
        guard watch || serve else {
            if !succeeded { throw ExitCode.failure }
            return
        }
        if serve && !succeeded { throw ExitCode.failure }
        let server = serve ? try DevelopmentServer.start(port: port, output: output, content: content) : nil
        let watcher = SourceWatcher(folders: [URL(fileURLWithPath: content), URL(fileURLWithPath: templates)])
        FileHandle.standardError.write(Data("build-site: watching \(content)/ and \(templates)/ (Ctrl+C to stop)\n".utf8))
        await withTaskCancellationHandler {
            await watcher.run { changed in
                if let changed, await update(options, cache: cache, changed: changed) {
                    server?.reload()
                    return
                }
                if await build(options, cache: cache) { server?.reload() }
            }
        } onCancel: {
            server?.stop()
        }
        server?.stop()
    }

    /// Writes changed page bodies in place; false when the change needs a full build.
    private func update(_ options: SiteBuild.Options, cache: RenderCache?, changed: [String]) async -> Bool {
        do {
            guard let summary = try await SiteBuild(options: options, cache: cache).update(changed: changed) else { return false }
            FileHandle.standardOutput.write(Data("\(summary)\n".utf8))
        } catch let failure as BuildFailure {
            FileHandle.standardError.write(Data("\(failure)\nbuild-site: \(failure.problems.count) problem(s); \(output)/ was left as it was.\n".utf8))
        } catch {
            // A write failed part way: a full build puts the whole folder right.
            return false
        }
        return true
    }

    /// One build, reported on the terminal; false when it failed (`public/` untouched).
    private func build(_ options: SiteBuild.Options, cache: RenderCache?) async -> Bool {
        let progress = ProgressLine(verbose: verbose)
        do {
            let summary = try await SiteBuild(options: options, cache: cache, progress: { progress.show($0) }).run()
            progress.finish()
            // Straight to the descriptor: under --serve the line must show at once, not at exit.
            FileHandle.standardOutput.write(Data("\(summary)\n".utf8))
            return true
        } catch let failure as BuildFailure {
            progress.finish()
            FileHandle.standardError.write(Data("\(failure)\nbuild-site: \(failure.problems.count) problem(s); \(output)/ was left as it was.\n".utf8))
        } catch {
            progress.finish()
            FileHandle.standardError.write(Data("build-site: \(error.localizedDescription)\n".utf8))
        }
        return false
    }
}

/// The stage of a build on one line of a terminal, shown once the build has taken a second.
final class ProgressLine: @unchecked Sendable {
    private let lock = NSLock()
    private let start = ContinuousClock.now
    private let verbose: Bool
    private let isTerminal = isatty(STDERR_FILENO) == 1
    private var shown = false

    init(verbose: Bool) {
        self.verbose = verbose
    }

    func show(_ stage: SiteBuild.Stage) {
        lock.lock()
        defer { lock.unlock() }
        if verbose {
            let elapsed = (ContinuousClock.now - start) / .milliseconds(1)
            FileHandle.standardError.write(Data("build-site: \(stage.rawValue) at \(Int(elapsed)) ms\n".utf8))
        } else if isTerminal, ContinuousClock.now - start > .seconds(1) {
            FileHandle.standardError.write(Data("\r\u{1B}[K\(stage.rawValue)...".utf8))
            shown = true
        }
    }

    func finish() {
        lock.lock()
        defer { lock.unlock() }
        if shown { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}
