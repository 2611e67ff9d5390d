import ConnectAPI
import Foundation

/// One run of the generator: load `content/` and `templates/`, render, check, write.
///
/// ```swift
/// let summary = try await SiteBuild(options: .init(content: "content", templates: "templates", output: "public")).run()
/// print(summary) // Built 12 pages, 58 files (312 KiB) in 143 ms into public/
/// ```
public struct SiteBuild: Sendable {
    public struct Options: Sendable, Equatable {
        public var content: URL
        public var templates: URL
        public var output: URL
        /// Overrides `base_url` of `site.yaml`.
        public var baseURL: String?
        /// `build-site --serve`: pages load the live-reload script. Never for publishing.
        public var development = false
        /// `build-site --serve`: where its sandbox answers (the demo App's origin). Every
        /// sandbox App with return origins also gets these, so the demo works on any port.
        public var sandboxOrigins: [String] = []

        public init(content: String, templates: String, output: String, baseURL: String? = nil, development: Bool = false,
                    sandboxOrigins: [String] = []) {
            self.development = development
            self.sandboxOrigins = sandboxOrigins
            self.content = URL(fileURLWithPath: content)
            self.templates = URL(fileURLWithPath: templates)
            self.output = URL(fileURLWithPath: output)
            self.baseURL = baseURL
        }
    }

    /// What a build did, for its one summary line.
    public struct Summary: Sendable, CustomStringConvertible {
        public var pages: Int
        public var files: Int
        public var bytes: Int
        public var milliseconds: Int
        public var output: String
        /// The connect page's first flight (its gzipped HTML plus an allowance for headers), when the site has one.
        public var connectPageBytes: Int?
        public var connectPageBudget: Double?

        public var description: String {
            var line = "Built \(pages) pages, \(files) files (\(ByteCountFormatter.string(fromByteCount: Int64(bytes), countStyle: .binary))) in \(milliseconds) ms into \(output)/"
            if let connectPageBytes {
                line += String(format: "; connect page first flight %.1f KiB", Double(connectPageBytes) / 1024)
                if let connectPageBudget { line += String(format: " of %g", connectPageBudget) }
            }
            return line
        }
    }

    public enum Stage: String, Sendable {
        case loading, rendering, checking, writing
    }

    public var options: Options
    /// Pages of the previous build to reuse (`--watch`); nil renders everything.
    public var cache: RenderCache?
    /// Told of each stage as it starts, for a progress line on a terminal.
    public var progress: @Sendable (Stage) -> Void

    public init(options: Options, cache: RenderCache? = nil, progress: @escaping @Sendable (Stage) -> Void = { _ in }) {
        self.options = options
        self.cache = cache
        self.progress = progress
    }

    /// Builds the site; on any problem nothing is written and `public/` stays as it was.
    public func run() async throws -> Summary {
        let start = ContinuousClock.now
        progress(.loading)
        let site = try ContentLoader(content: options.content, templates: options.templates, sandboxOrigins: options.sandboxOrigins).load()
        let baseURL = Self.trimmed(options.baseURL ?? site.config.baseURL ?? "http://127.0.0.1:8080")
        guard let parsed = URL(string: baseURL), ["http", "https"].contains(parsed.scheme ?? ""), parsed.host != nil,
              parsed.query == nil, parsed.fragment == nil else {
            let origin = options.baseURL != nil ? "--base-url" : "content/site.yaml: base_url"
            throw BuildFailure([BuildProblem(file: origin, "\"\(baseURL)\" is not an absolute http(s) address such as https://docs.example.com")])
        }

        let deploySettings = site.config.deploy ?? DeploySettings()
        let deployProblems = deploySettings.problems()
        guard deployProblems.isEmpty else {
            throw BuildFailure(deployProblems.map { BuildProblem(file: "content/site.yaml", $0) })
        }

        progress(.rendering)
        let navigation = Navigation(config: site.config, pages: site.pages, api: site.api)
        let renderer = PageRenderer(site: site, baseURL: baseURL, navigation: navigation,
                                    development: options.development, cache: cache)
        let pages = try await renderer.renderAll()
        var assetSources = site.assets
        if options.development { assetSources.append(LiveReload.asset) }
        if let connect = site.connect { assetSources += ConnectPage.assets(catalog: site.catalog, content: connect) }
        let assets = try AssetPipeline(assets: assetSources)

        progress(.checking)
        let searchEntries = ContentLoader.parallelMap(pages.filter(\.isListed)) { ($0.url, SearchIndex.entry(for: $0, navigation: navigation)) }
        let generated = Self.generatedFiles(site: site, pages: pages, navigation: navigation, baseURL: baseURL,
                                            searchEntries: searchEntries.map(\.1))
        var known = Set(assetSources.map(\.url) + site.plainFiles.map(\.url) + generated.map { "/" + $0.0 })
        if assetSources.contains(where: { $0.url == ConnectPage.embedScript }) { known.insert(ConnectPage.embedStableURL) }
        known.formUnion(pages.compactMap { page in page.markdownFile.map { "/" + $0 } })
        let links = LinkChecker(pages: pages, otherURLs: known, templates: site.templates.sources)
        let problems = links.problems(in: pages)
        guard problems.isEmpty else { throw BuildFailure(problems) }

        progress(.writing)
        var files = assets.files
        // Every page's references to assets are rewritten in parallel: it touches every byte.
        let frameAncestors = site.connect?.frameAncestors ?? []  // once, not once per page
        files += await withTaskGroup(of: [OutputFile].self) { group in
            for chunk in pages.chunked(into: max(1, pages.count / (ProcessInfo.processInfo.activeProcessorCount * 4) + 1)) {
                group.addTask { chunk.flatMap { Self.files(of: $0, assets: assets, frameAncestors: frameAncestors) } }
            }
            return await group.reduce(into: []) { $0 += $1 }
        }
        for (name, text) in generated {
            files.append(OutputFile(file: name, url: "/" + name, bytes: Data(text.utf8), mediaType: MediaType.of(name)))
        }
        // The embed script also at a URL that never changes, for Apps that cannot follow the
        // hash (revalidated, not cached forever): `/connect-embed.js`.
        if let embed = assets.files.first(where: { $0.url == assets.hashedURLs[ConnectPage.embedScript] }) {
            files.append(OutputFile(file: String(ConnectPage.embedStableURL.dropFirst()), url: ConnectPage.embedStableURL,
                                    bytes: embed.bytes, mediaType: embed.mediaType))
        }
        for plain in site.plainFiles {
            files.append(OutputFile(file: String(plain.url.dropFirst()), url: plain.url, bytes: plain.bytes, mediaType: MediaType.of(plain.url)))
        }
        // Only the pages that include a deploy file, their Markdown copies and the files made
        // from all pages can hold a token: the rest of a large site is not searched for one.
        let including = site.pages.filter { $0.body.contains(DeployInclude.tokenPrefix) }.map(\.url)
        if !including.isEmpty {
            let holders = Set(including.flatMap { [$0, $0 + "index.md"] } + generated.map { "/" + $0.0 })
            files = try Self.showingDeployFiles(in: files, holders: holders, settings: deploySettings)
        }
        let connectWeight = try checkConnectPageWeight(site: site, files: files)
        let manifest = try await SiteWriter(output: options.output, previous: cache?.written).write(files, notFound: "/404.html")
        do {
            try DeployFiles.write(try DeployFiles.make(manifest: manifest, settings: deploySettings), to: DeployFiles.folder(beside: options.output))
        } catch {
            throw BuildFailure([BuildProblem(file: "deploy/", "cannot be generated: \(error)")])
        }
        cache?.snapshot = BuildSnapshot(options: options, site: site, baseURL: baseURL, navigation: navigation,
                                        renderer: renderer, pages: pages, assets: assets, links: links,
                                        searchEntries: searchEntries, generated: generated, manifest: manifest)

        return Summary(pages: pages.count, files: manifest.entries.count, bytes: manifest.entries.reduce(0) { $0 + $1.size },
                       milliseconds: Int((ContinuousClock.now - start) / .milliseconds(1)), output: options.output.lastPathComponent,
                       connectPageBytes: connectWeight?.total, connectPageBudget: site.config.connectPage?.budgetKiB)
    }

    /// The files a page is published as: its HTML, asset references rewritten, and its
    /// Markdown copy.
    static func files(of page: RenderedPage, assets: AssetPipeline, frameAncestors: [String] = []) -> [OutputFile] {
        let html = assets.rewrite(page.html)
        var file = OutputFile(file: page.htmlFile, url: page.url, bytes: Data(html.utf8), mediaType: MediaType.of(page.htmlFile))
        if page.layout == ConnectPage.layout {
            // Hashed after the rewrite: the bytes the browser checks are these.
            let inline = InlineCode.hashes(in: html)
            file.scriptHashes = inline.scripts
            file.styleHashes = inline.styles
            if !frameAncestors.isEmpty { file.frameAncestors = frameAncestors }
        }
        var made = [file]
        if let markdown = page.markdown, let file = page.markdownFile {
            made.append(OutputFile(file: file, url: "/" + file, bytes: Data(markdown.utf8), mediaType: MediaType.of(file)))
        }
        return made
    }

    /// The files made from all pages together, by name in the output folder.
    /// - Parameter searchEntries: Each listed page's ``SearchIndex/entry(for:navigation:)``.
    static func generatedFiles(site: Site, pages: [RenderedPage], navigation: Navigation, baseURL: String,
                               searchEntries: [String]) -> [(String, String)] {
        var files: [(String, String)] = [
            ("sitemap.xml", SiteFiles.sitemap(pages: pages, baseURL: baseURL)),
            ("robots.txt", SiteFiles.robots(baseURL: baseURL)),
            ("llms.txt", SiteFiles.llmsIndex(title: site.config.title, description: site.config.description,
                                             navigation: navigation, pages: pages, baseURL: baseURL)),
            ("llms-full.txt", SiteFiles.llmsFull(navigation: navigation, pages: pages, baseURL: baseURL)),
            // At a fixed URL, revalidated, rather than content-hashed: a hashed name would
            // change every page's HTML whenever any page's text changed.
            (String(SearchIndex.url.dropFirst()), "[" + searchEntries.joined(separator: ",") + "]"),
        ]
        if !site.changelog.isEmpty {
            // A feed reader has no page to resolve links against: every link is absolute.
            let rewriter = LinkRewriter(pageURLs: Set(pages.map(\.url)))
            let absolute: @Sendable (String) -> String? = { link in
                if LinkRewriter.isExternal(link) { return nil }
                if link.hasPrefix("#") { return baseURL + "/changelog/" + link }
                let path = rewriter.rewrite(link, from: Changelog.contentPath) ?? link
                return path.hasPrefix("/") ? baseURL + path : nil
            }
            let feed = ChangelogFeed.atom(entries: site.changelog, siteTitle: site.config.title, baseURL: baseURL) { markdown in
                MarkdownRenderer(rewriteLink: absolute).render(markdown, allowRawHTML: false).html
            }
            files.append((String(ChangelogFeed.url.dropFirst()), feed))
        }
        return files
    }

    /// The files with every `<!-- include deploy/… -->` replaced by the deploy file it names.
    ///
    /// The deploy files are made from the manifest, which is written after the pages; but
    /// what they say of a page (its URL, type, cache rule, gzip variant, inline digests) does
    /// not depend on what a guide shows, so they are made here from the manifest these files
    /// will give, and again after the guide grew in case its gzip variant changed.
    /// - Parameter holders: The URLs of the files that may hold a token.
    static func showingDeployFiles(in files: [OutputFile], holders: Set<String>, settings: DeploySettings) throws(BuildFailure) -> [OutputFile] {
        let token = Data(DeployInclude.tokenPrefix.utf8)
        let showing = files.indices.filter { holders.contains(files[$0].url) && files[$0].bytes.range(of: token) != nil }
        guard !showing.isEmpty else { return files }
        var result = files
        var previous: [String: String]?
        for _ in 0..<3 {
            let predicted = SiteManifest(notFound: "/404.html", entries: result.map { file in
                ManifestEntry(path: file.url, file: file.file, mediaType: file.mediaType, size: file.bytes.count, sha256: "",
                              gzip: SiteWriter.wantsGzip(file) ? GzipVariant(file: file.file + ".gz", size: 0, sha256: "") : nil,
                              immutable: file.immutable, scriptHashes: file.scriptHashes, styleHashes: file.styleHashes,
                              frameAncestors: file.frameAncestors)
            }.sorted { $0.path < $1.path })
            let deploy: [String: String]
            do { deploy = try DeployFiles.make(manifest: predicted, settings: settings) } catch {
                throw BuildFailure([BuildProblem(file: "deploy/", "cannot be generated: \(error)")])
            }
            if deploy == previous { return result }
            previous = deploy
            for index in showing {
                let text = String(decoding: files[index].bytes, as: UTF8.self)
                result[index].bytes = Data(DeployInclude.substitute(text, files: deploy, in: files[index]).utf8)
            }
        }
        return result
    }

    /// The connect page's weight, gzipped, checked against `connect_page.budget_kib`.
    private func checkConnectPageWeight(site: Site, files: [OutputFile]) throws -> ConnectPageWeight? {
        guard site.connect != nil, let page = files.first(where: { $0.url == ConnectPage.url }) else { return nil }
        let weight = ConnectPageWeight(html: String(decoding: page.bytes, as: UTF8.self))
        if let budget = site.config.connectPage?.budgetKiB, Double(weight.total) > budget * 1024 {
            throw BuildFailure([BuildProblem(file: "content/site.yaml", String(format: "the connect page's first flight weighs %.1f KiB (%d B of gzipped HTML, with its inline script, style and data, plus %d B for headers), over its budget of %g KiB (connect_page.budget_kib): move what the first paint does not need into a file fetched after it", Double(weight.total) / 1024, weight.html, ConnectPageWeight.headerAllowance, budget))])
        }
        return weight
    }

    private static func trimmed(_ url: String) -> String {
        url.hasSuffix("/") ? String(url.dropLast()) : url
    }
}
