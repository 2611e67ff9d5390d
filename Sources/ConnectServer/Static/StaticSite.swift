/// Everything one manifest lets the server answer, looked up by decoded URL path.
///
/// A value is never changed once built: a reload builds a new one and swaps it in, so a
/// request keeps the site it started with until it is done.
public final class StaticSite: Sendable {
    /// The output folder it was loaded from, symlinks resolved.
    public let root: String
    let files: [String: StaticFile]
    /// The page served with every 404, if the manifest names one.
    let notFound: StaticFile?
    /// How many bytes are held in memory.
    public let cachedBytes: Int

    /// The number of URLs the site answers.
    public var fileCount: Int { files.count }

    init(root: String, files: [String: StaticFile], notFound: StaticFile?, cachedBytes: Int) {
        self.root = root
        self.files = files
        self.notFound = notFound
        self.cachedBytes = cachedBytes
    }
}
