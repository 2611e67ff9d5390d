/// How long a cache may keep an answer of the site, whoever serves it: connect-server and
/// the deploy configs `build-site` generates take these values from here.
public enum CachePolicy {
    /// A content-hashed asset, whose URL changes whenever its bytes do: kept for a year.
    public static let immutable = "public, max-age=31536000, immutable"
    /// Everything else: revalidated on every use, so a new build shows at once.
    public static let revalidate = "no-cache"
    /// An answer the server makes up (a refusal, an error): never stored.
    public static let refusal = "no-store"
    /// The `Vary` of a URL that has a gzip variant: caches key on the coding asked for.
    public static let varyForVariants = "Accept-Encoding"

    /// The `Cache-Control` of a file of the manifest.
    public static func cacheControl(immutable: Bool) -> String {
        immutable ? Self.immutable : revalidate
    }
}
