import ConnectAPI
import Foundation
import Hummingbird

/// Reads `public/.manifest.json` and the files it lists into a ``StaticSite``.
///
/// Every listed file is opened without following symlinks, inside the resolved output
/// folder, and must be a regular file of the listed size: a manifest cannot make the
/// server read anything else.
public struct SiteLoader: Sendable {
    /// The output folder, e.g. `public`.
    public var directory: String
    /// How many bytes of files to hold in memory; the smallest files are chosen first.
    public var cacheBytes: Int
    /// The headers of every response, folded into each file's prebuilt headers.
    public var security: SecurityHeaders

    public init(directory: String, cacheBytes: Int, security: SecurityHeaders) {
        self.directory = directory
        self.cacheBytes = cacheBytes
        self.security = security
    }

    /// The manifest's own path.
    public var manifestPath: String { directory + "/" + SiteManifest.fileName }

    /// Loads the site, or explains in the error what is wrong and what to run.
    public func load() throws -> StaticSite {
        guard let root = SafeFile.resolve(directory) else {
            throw SiteLoadError.manifest(directory, "no such folder")
        }
        let manifest = try readManifest(root: root)
        let budget = memoryPlan(manifest)
        var files: [String: StaticFile] = [:]
        files.reserveCapacity(manifest.entries.count)
        var cached = 0
        for entry in manifest.entries {
            guard entry.path.hasPrefix("/"), files[entry.path] == nil else {
                throw SiteLoadError.manifest(manifestPath, "entry \(entry.path) is not a unique absolute URL path")
            }
            let identity = try representation(root: root, file: entry.file, size: entry.size, sha256: entry.sha256,
                                               entry: entry, gzip: false, inMemory: budget.contains(entry.file))
            var gzip: StaticRepresentation?
            if let variant = entry.gzip {
                gzip = try representation(root: root, file: variant.file, size: variant.size, sha256: variant.sha256,
                                          entry: entry, gzip: true, inMemory: budget.contains(variant.file))
            }
            for case .memory(let buffer)? in [identity.content, gzip?.content] { cached += buffer.readableBytes }
            files[entry.path] = StaticFile(identity: identity, gzip: gzip)
        }
        let notFound = manifest.notFound.flatMap { files[$0] }
        if let name = manifest.notFound, notFound == nil {
            throw SiteLoadError.manifest(manifestPath, "notFound names \(name), which no entry lists")
        }
        return StaticSite(root: root, files: files, notFound: notFound, cachedBytes: cached)
    }
}

private extension SiteLoader {
    func readManifest(root: String) throws -> SiteManifest {
        let data: [UInt8]
        do {
            data = try SafeFile.contents(root: root, relative: SiteManifest.fileName, expectedSize: nil)
        } catch {
            throw SiteLoadError.manifest(manifestPath, "cannot be read (\(error))")
        }
        let manifest: SiteManifest
        do {
            manifest = try SiteManifest.decode(Data(data))
        } catch {
            throw SiteLoadError.manifest(manifestPath, "is not a valid manifest (\(error))")
        }
        guard manifest.version == SiteManifest.currentVersion else {
            throw SiteLoadError.manifest(manifestPath, "has version \(manifest.version), expected \(SiteManifest.currentVersion)")
        }
        return manifest
    }

    /// The files to hold in memory: smallest first, so the budget covers the most URLs.
    func memoryPlan(_ manifest: SiteManifest) -> Set<String> {
        var candidates: [(file: String, size: Int)] = []
        for entry in manifest.entries {
            candidates.append((entry.file, entry.size))
            if let gzip = entry.gzip { candidates.append((gzip.file, gzip.size)) }
        }
        candidates.sort { $0.size < $1.size }
        var chosen = Set<String>()
        var total = 0
        for candidate in candidates where total + candidate.size <= cacheBytes {
            total += candidate.size
            chosen.insert(candidate.file)
        }
        return chosen
    }

    func representation(root: String, file: String, size: Int, sha256: String, entry: ManifestEntry,
                        gzip: Bool, inMemory: Bool) throws -> StaticRepresentation {
        guard sha256.utf8.count == 64, sha256.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }) else {
            throw SiteLoadError.manifest(manifestPath, "entry \(entry.path) has no lowercase hex sha256")
        }
        let content: StaticRepresentation.Content
        do {
            if inMemory {
                let bytes = try SafeFile.contents(root: root, relative: file, expectedSize: size)
                content = .memory(ByteBuffer(bytes: bytes))
            } else {
                content = .disk(try SafeFile.openKept(root: root, relative: file, expectedSize: size))
            }
        } catch {
            throw SiteLoadError.entry("\(directory)/\(file)", "\(error)")
        }
        return StaticRepresentation(content: content, size: size, sha256: sha256, mediaType: entry.mediaType,
                                    immutable: entry.immutable, gzip: gzip, hasVariants: entry.gzip != nil,
                                    security: security, scriptHashes: entry.scriptHashes, styleHashes: entry.styleHashes,
                                    frameAncestors: entry.frameAncestors)
    }
}
