import Logging
import ServiceLifecycle

/// Polls `public/.manifest.json` and swaps in a new ``StaticSite`` when a build replaces it.
///
/// Polling the path (every 500 ms by default) rather than watching an inode is on purpose:
/// the builder renames a whole new folder over `public/`, which an inode watch would miss.
/// A manifest that fails to load is logged and the previous site stays in service.
public struct ManifestWatcher: Service {
    let loader: SiteLoader
    let store: SiteStore
    let interval: Duration
    let logger: Logger
    let initialSignature: ManifestSignature?

    init(loader: SiteLoader, store: SiteStore, interval: Duration, logger: Logger, initialSignature: ManifestSignature?) {
        self.loader = loader
        self.store = store
        self.interval = interval
        self.logger = logger
        self.initialSignature = initialSignature
    }

    public func run() async throws {
        let watcher = self
        try await cancelWhenGracefulShutdown { try await watcher.poll() }
    }

    private func poll() async throws {
        var seen = initialSignature
        while !Task.isCancelled {
            do { try await Task.sleep(for: interval) } catch { return }
            guard let now = ManifestSignature.read(loader.manifestPath), now != seen else { continue }
            seen = now
            reload()
        }
    }

    /// Loads the manifest now; kept separate so a test can force it.
    func reload() {
        do {
            let site = try loader.load()
            store.replace(with: site)
            logger.info("reloaded the site", metadata: ["files": "\(site.fileCount)", "cached.bytes": "\(site.cachedBytes)"])
        } catch {
            logger.error("kept the previous site: \(error)")
        }
    }
}
