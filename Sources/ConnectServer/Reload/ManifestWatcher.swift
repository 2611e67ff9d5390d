import Logging
import ServiceLifecycle
import UnixSignals

/// Swaps in a new ``StaticSite`` when a build replaces `public/.manifest.json`: it polls
/// the path, and `SIGHUP` reloads at once.
///
/// Polling the path (every 500 ms by default) rather than watching an inode is on purpose:
/// the builder renames a whole new folder over `public/`, which an inode watch would miss.
/// A manifest that fails to load is logged and the previous site stays in service, while
/// `/healthz` reports the replica not ready until a manifest loads again.
public struct ManifestWatcher: Service {
    let loader: SiteLoader
    let store: SiteStore
    let interval: Duration
    let logger: Logger
    let initialSignature: ManifestSignature?
    let metrics: ServerMetrics?
    /// Reload on `SIGHUP` (the executable; tests leave the process's signals alone).
    let reloadsOnHangup: Bool

    init(loader: SiteLoader, store: SiteStore, interval: Duration, logger: Logger, initialSignature: ManifestSignature?,
         metrics: ServerMetrics? = nil, reloadsOnHangup: Bool = false) {
        self.loader = loader
        self.store = store
        self.interval = interval
        self.logger = logger
        self.initialSignature = initialSignature
        self.metrics = metrics
        self.reloadsOnHangup = reloadsOnHangup
    }

    public func run() async throws {
        let watcher = self
        await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { group in
                if watcher.reloadsOnHangup { group.addTask { await watcher.reloadOnHangup() } }
                group.addTask { await watcher.poll() }
            }
        }
    }

    private func poll() async {
        var seen = initialSignature
        while !Task.isCancelled {
            do { try await Task.sleep(for: interval) } catch { return }
            guard let now = ManifestSignature.read(loader.manifestPath), now != seen else { continue }
            seen = now
            reload()
        }
    }

    /// An operator's `kill -HUP`: reload now, whether or not the manifest looks changed
    /// (a copy that kept its times and inode would not).
    private func reloadOnHangup() async {
        for await _ in await UnixSignalsSequence(trapping: .sighup) {
            logger.info("SIGHUP: reloading the manifest")
            reload()
        }
    }

    /// Loads the manifest now; kept separate so a test can force it.
    func reload() {
        do {
            let site = try loader.load()
            store.replace(with: site)
            metrics?.manifestReloaded(succeeded: true)
            logger.info("reloaded the site", metadata: ["files": "\(site.fileCount)", "cached.bytes": "\(site.cachedBytes)"])
        } catch {
            store.keep(because: "\(error)")
            metrics?.manifestReloaded(succeeded: false)
            logger.error("kept the previous site: \(error)")
        }
    }
}
