import ConnectAPI
import Foundation

/// Reads `content/` and `templates/` into a `Site`, collecting every problem before it stops.
struct ContentLoader {
    let content: URL
    let templates: URL
    /// Added to the sandbox Apps' return origins (`build-site --serve`'s sandbox).
    var sandboxOrigins: [String] = []

    /// Data files of `content/`'s top level that the build reads rather than copies.
    static let dataFiles: Set<String> = ["site.yaml", "connection-types.yaml", "sandbox.yaml"]

    func load() throws(BuildFailure) -> Site {
        var problems: [BuildProblem] = []
        func attempt<T>(_ body: () throws(BuildProblem) -> T) -> T? {
            do { return try body() } catch { problems.append(error); return nil }
        }
        let contentName = display(content)
        let config = attempt { () throws(BuildProblem) in
            try YAMLFile.decode(SiteConfig.self, at: content.appendingPathComponent("site.yaml"), shownAs: "\(contentName)/site.yaml")
        }
        let catalog = attempt { () throws(BuildProblem) in
            try YAMLFile.decode(ConnectionTypeCatalog.self, at: content.appendingPathComponent("connection-types.yaml"),
                                shownAs: "\(contentName)/connection-types.yaml")
        }
        // Read once: parsed for the reference and published as it is for API clients.
        let openAPIText = try? String(contentsOf: content.appendingPathComponent("openapi.yaml"), encoding: .utf8)
        let api = attempt { () throws(BuildProblem) in
            let file = "\(contentName)/openapi.yaml"
            guard let openAPIText else { throw BuildProblem(file: file, "cannot be read: the API reference is built from it") }
            return try APIReferenceLoader.load(yaml: openAPIText, shownAs: file)
        }
        // The hosted connect page is built when the content has its words.
        var connectStrings: ConnectStrings?
        let stringsFolder = content.appendingPathComponent("connect/strings")
        if FileManager.default.fileExists(atPath: stringsFolder.path) {
            do { connectStrings = try ConnectStrings.load(from: stringsFolder, shownAs: "\(contentName)/connect/strings") } catch { problems += error.problems }
        }
        var connect: ConnectPageContent?
        if let connectStrings, let catalog, let config {
            connect = attempt { () throws(BuildProblem) in
                try connectPage(strings: connectStrings, catalog: catalog, config: config, contentName: contentName, problems: &problems)
            } ?? nil
        }
        var templateSet: TemplateSet?
        do { templateSet = try TemplateSet.load(from: templates, shownAs: display(templates)) } catch { problems += error.problems }

        var pages: [SourcePage] = []
        var assets: [AssetSource] = []
        var plainFiles: [PlainFile] = []
        let rawHTML = Set(config?.rawHTML ?? [])
        let paths = Self.files(under: content)
        // Pages are read and split in parallel: on a large site this is most of the loading.
        let markdown = paths.filter { $0.hasSuffix(".md") }
        let loaded = Self.parallelMap(markdown) { path -> Result<SourcePage, BuildProblem> in
            let shown = "\(contentName)/\(path)"
            guard let text = try? String(contentsOfFile: content.appendingPathComponent(path).path, encoding: .utf8) else {
                return .failure(BuildProblem(file: shown, "is not UTF-8 text"))
            }
            do throws(BuildProblem) {
                let (frontMatter, written, bodyLine) = try FrontMatter.split(text, file: shown)
                let body = try DeployInclude.expand(written, file: shown, bodyLine: bodyLine)
                return .success(SourcePage(contentPath: path, displayPath: shown, url: SourcePage.url(forContentPath: path),
                                           frontMatter: frontMatter, body: body, bodyLine: bodyLine,
                                           allowsRawHTML: rawHTML.contains(path)))
            } catch {
                return .failure(error)
            }
        }
        for result in loaded {
            switch result {
            case .success(let page): pages.append(page)
            case .failure(let problem): problems.append(problem)
            }
        }
        for path in paths where !path.hasSuffix(".md") {
            let source = content.appendingPathComponent(path).path
            if path == "openapi.yaml", let openAPIText {
                plainFiles.append(PlainFile(url: "/openapi.yaml", bytes: Data(openAPIText.utf8)))
                if let api { plainFiles.append(PlainFile(url: "/openapi.json", bytes: api.documentJSON)) }
            } else if path != "openapi.yaml", !Self.dataFiles.contains(path), !path.hasPrefix("connect/strings/"), !path.hasPrefix("connect/catalog/") {
                assets.append(AssetSource(sourcePath: source, url: "/" + path))
            }
        }
        let assetFolder = templates.appendingPathComponent("assets")
        for path in Self.files(under: assetFolder) {
            assets.append(AssetSource(sourcePath: assetFolder.appendingPathComponent(path).path, url: "/assets/" + path))
        }
        if let accent = config?.operator?.accent, Self.cssColour(accent) == nil {
            problems.append(BuildProblem(file: "\(contentName)/site.yaml", "`operator.accent` must be a colour such as \"#4f46e5\", not \"\(accent)\""))
        }
        if let config { assets.append(Self.theme(config, shownAs: "\(contentName)/site.yaml")) }
        if let edit = config?.editURL, !(edit.hasPrefix("https://") && edit.contains("{path}")) {
            problems.append(BuildProblem(file: "\(contentName)/site.yaml",
                                         "`edit_url` must be an https URL with {path} where the page's path goes, such as https://github.com/OWNER/REPO/edit/main/content/{path}; got \"\(edit)\""))
        }
        var changelog: [ChangelogEntry] = []
        if let page = pages.first(where: { $0.contentPath == Changelog.contentPath }) {
            switch Changelog.entries(of: page) {
            case .success(let entries): changelog = entries
            case .failure(let failure): problems += failure.problems
            }
        }
        guard problems.isEmpty, let config, let catalog, let api, let templateSet else { throw BuildFailure(problems) }
        return Site(config: config, pages: pages, api: api, catalog: catalog, templates: templateSet,
                    assets: assets, plainFiles: plainFiles, connect: connect, changelog: changelog)
    }

    /// The connect page's parts beside its words: the catalog's words in every other
    /// language, the Apps, and the script and stylesheet the page inlines.
    private func connectPage(strings: ConnectStrings, catalog: ConnectionTypeCatalog, config: SiteConfig, contentName: String,
                             problems: inout [BuildProblem]) throws(BuildProblem) -> ConnectPageContent? {
        var words: ConnectCatalogWords?
        do {
            words = try ConnectCatalogWords.load(from: content.appendingPathComponent("connect/catalog"), shownAs: "\(contentName)/connect/catalog",
                                                 catalog: catalog, codes: strings.languages.map(\.code).filter { $0 != ConnectStrings.reference })
        } catch { problems += error.problems }
        let apps = ConnectApp.load(config: config, content: content, shownAs: contentName, sandboxOrigins: sandboxOrigins)
        problems += apps.problems
        for (slug, provider) in (catalog.providers ?? [:]).sorted(by: { $0.key < $1.key }) {
            if let logo = provider.logo, !FileManager.default.fileExists(atPath: content.appendingPathComponent(logo).path) {
                problems.append(BuildProblem(file: "\(contentName)/connection-types.yaml", "provider \(slug): `logo` \(logo) does not exist under content/"))
            }
        }
        let folder = templates.appendingPathComponent("connect")
        guard let script = try? String(contentsOf: folder.appendingPathComponent("connect.js"), encoding: .utf8),
              let early = try? String(contentsOf: folder.appendingPathComponent("connect-early.js"), encoding: .utf8),
              let style = try? String(contentsOf: folder.appendingPathComponent("connect.css"), encoding: .utf8) else {
            throw BuildProblem(file: "\(display(templates))/connect", "needs connect.js, connect-early.js and connect.css: the connect page inlines them")
        }
        guard let words else { return nil }
        return ConnectPageContent(strings: strings, catalogWords: words, apps: apps.apps, script: script, early: early, style: style)
    }

    /// The operator's accent colour as a stylesheet: the CSP forbids inline styles, so the
    /// colour from `site.yaml` reaches the pages as a small hashed asset of its own.
    static func theme(_ config: SiteConfig, shownAs file: String) -> AssetSource {
        AssetSource(sourcePath: file, url: "/assets/theme.css", bytes: Data(themeCSS(config).utf8))
    }

    /// The rule itself, which the connect page inlines instead of linking.
    static func themeCSS(_ config: SiteConfig) -> String {
        ":root{--accent:\(config.operator?.accent.flatMap(cssColour) ?? "#4f46e5")}\n"
    }

    /// A `#rgb`/`#rrggbb` colour, or nil: anything else could break out of the rule.
    static func cssColour(_ text: String) -> String? {
        let hex = text.dropFirst()
        guard text.hasPrefix("#"), [3, 6].contains(hex.count), hex.allSatisfy(\.isHexDigit) else { return nil }
        return text.lowercased()
    }

    /// `transform` of every element, on every core, in the input's order.
    static func parallelMap<T: Sendable, R: Sendable>(_ items: [T], _ transform: @Sendable (T) -> R) -> [R] {
        let results = UnsafeMutableBufferPointer<R?>.allocate(capacity: items.count)
        results.initialize(repeating: nil)
        defer { results.deallocate() }
        let slots = SendableBuffer(pointer: results)
        DispatchQueue.concurrentPerform(iterations: items.count) { index in
            slots.pointer[index] = transform(items[index])
        }
        return results.map { $0! }
    }

    /// Regular files under a folder, relative and sorted; dotfiles and symlinks are skipped
    /// so that nothing outside the folder, or hidden in it, gets published. Read with
    /// readdir(3), whose entry types spare a stat per file on a large site.
    static func files(under folder: URL) -> [String] {
        var files: [String] = []
        func walk(_ path: String, _ relative: String) {
            guard let directory = opendir(path) else { return }
            defer { closedir(directory) }
            while let entry = readdir(directory) {
                let name = entry.pointee.name
                guard !name.hasPrefix(".") else { continue }
                let child = path + "/" + name, childRelative = relative.isEmpty ? name : relative + "/" + name
                var type = Int32(entry.pointee.d_type)
                if type == Int32(DT_UNKNOWN) {
                    var info = stat()
                    guard lstat(child, &info) == 0 else { continue }
                    type = (info.st_mode & S_IFMT) == S_IFDIR ? Int32(DT_DIR) : (info.st_mode & S_IFMT) == S_IFREG ? Int32(DT_REG) : Int32(DT_LNK)
                }
                if type == Int32(DT_DIR) { walk(child, childRelative) } else if type == Int32(DT_REG) { files.append(childRelative) }
            }
        }
        walk(folder.standardizedFileURL.path, "")
        return files.sorted()
    }

    /// A path as the person typed it, relative to the working directory where it can be.
    private func display(_ url: URL) -> String {
        let cwd = FileManager.default.currentDirectoryPath
        let path = url.standardizedFileURL.path
        return path.hasPrefix(cwd + "/") ? String(path.dropFirst(cwd.count + 1)) : path
    }
}

/// Each concurrent iteration writes its own slot, so sharing the buffer is safe.
private struct SendableBuffer<R>: @unchecked Sendable {
    let pointer: UnsafeMutableBufferPointer<R?>
}
