import ConnectAPI
import Foundation

/// The manifest of the live output folder, kept with each entry's JSON line and its
/// position, so that an update of one page re-encodes two lines, not 20,000.
struct LiveManifest: Sendable {
    private(set) var manifest: SiteManifest
    private var lines: [[UInt8]]
    private var positions: [String: Int]

    init(_ manifest: SiteManifest) {
        self.manifest = manifest
        lines = manifest.entries.map(SiteManifest.encodedLine)
        positions = Dictionary(manifest.entries.enumerated().map { ($0.element.file, $0.offset) },
                               uniquingKeysWith: { first, _ in first })
    }

    /// Puts `entry` in place of the entry of the same file, or adds it.
    /// - Returns: The gzip variant the replaced entry had and `entry` no longer has.
    mutating func set(_ entry: ManifestEntry) -> String? {
        guard let position = positions[entry.file] else {
            manifest.entries.append(entry)
            manifest.entries.sort { $0.path < $1.path }
            self = LiveManifest(manifest)
            return nil
        }
        let dropped = entry.gzip == nil ? manifest.entries[position].gzip?.file : nil
        manifest.entries[position] = entry
        lines[position] = SiteManifest.encodedLine(entry)
        return dropped
    }

    func encodedJSON() -> Data {
        SiteManifest.encodedJSON(version: manifest.version, notFound: manifest.notFound, lines: lines)
    }
}
