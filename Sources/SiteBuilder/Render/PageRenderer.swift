import Foundation

/// Renders every page of a loaded `Site` through its layouts, in parallel.
struct PageRenderer: Sendable {
    let site: Site
    let baseURL: String
    let navigation: Navigation
    private let links: LinkRewriter

    /// Everything shared by all pages is made once here, not once per page.
    let development: Bool
    /// Reuses pages of the previous build in watch mode.
    let cache: RenderCache?
    private let keys: RenderKeys?

    init(site: Site, baseURL: String, navigation: Navigation, development: Bool = false, cache: RenderCache? = nil) {
        self.development = development
        self.cache = cache
        self.keys = cache == nil ? nil : RenderKeys(site: site, navigation: navigation, baseURL: baseURL, development: development)
        self.site = site
        self.baseURL = baseURL
        self.navigation = navigation
        self.links = LinkRewriter(pageURLs: Set(site.pages.map(\.url) + site.api.operations.map(\.url) + ["/api/"]))
    }

    /// All pages, sorted by URL, or the problems that stop the build.
    func renderAll() async throws(BuildFailure) -> [RenderedPage] {
        var problems: [BuildProblem] = []
        for page in site.pages {
            let layout = layoutName(of: page)
            if !site.templates.has(layout) {
                problems.append(BuildProblem(file: page.displayPath, line: 2,
                                             "layout `\(layout)` not found: add templates/layouts/\(layout).mustache or change `layout:`"))
            }
        }
        var required = ["operation", "api-index", "not-found"]
        if site.connect != nil { required.append(ConnectPage.layout) }
        for layout in required where !site.templates.has(layout) {
            problems.append(BuildProblem(file: "templates/layouts/\(layout).mustache", "is missing; the build needs it"))
        }
        guard problems.isEmpty else { throw BuildFailure(problems) }

        let renderer = self
        cache?.beginBuild()
        let pages = await withTaskGroup(of: RenderedPage.self) { group in
            for page in site.pages { group.addTask { renderer.cached(page) } }
            for operation in site.api.operations { group.addTask { renderer.cached(operation) } }
            group.addTask { renderer.renderAPIIndex() }
            group.addTask { renderer.renderNotFound() }
            if let connect = site.connect {
                group.addTask { ConnectPage.render(site: renderer.site, content: connect, context: renderer.contexts) }
            }
            var pages: [RenderedPage] = []
            for await page in group { pages.append(page) }
            return pages
        }
        return pages.sorted { $0.url < $1.url }
    }

    var contexts: PageContext { PageContext(site: site, navigation: navigation, baseURL: baseURL, development: development) }

    private func layoutName(of page: SourcePage) -> String {
        page.frontMatter.layout ?? (page.url == "/" ? "home" : "guide")
    }

    /// The page from the cache when its inputs are unchanged, else rendered anew.
    func cached(_ page: SourcePage) -> RenderedPage {
        guard let cache, let keys else { return render(page) }
        return cache.page(page.url, key: keys.guide(page, layout: layoutName(of: page))) { render(page) }
    }

    private func cached(_ operation: APIOperation) -> RenderedPage {
        guard let cache, let keys else { return render(operation) }
        return cache.page(operation.url, key: keys.operation(operation)) { render(operation) }
    }

    func render(_ page: SourcePage) -> RenderedPage {
        let rewriter = links
        let markdown = MarkdownRenderer(rewriteLink: { rewriter.rewrite($0, from: page.contentPath) })
        let body = markdown.render(page.body, allowRawHTML: page.allowsRawHTML)
        var crumbs: [(String, String)] = [(site.config.title, "/")]
        if page.url != "/" {
            if let section = navigation.section(of: page.url) { crumbs.append((section.title, section.items.first?.url ?? "/")) }
            crumbs.append((page.frontMatter.title, page.url))
        }
        var context = contexts.common(url: page.url, title: page.frontMatter.title, description: page.frontMatter.description,
                                      breadcrumbs: crumbs, headings: body.headings)
        context["content"] = body.html
        if let edit = site.config.editURL(for: page.contentPath) { context["editURL"] = edit }
        let layout = layoutName(of: page)
        let fileLinks = body.links.map { link in
            MarkdownLink(written: link.written, rendered: link.rendered, line: link.line + page.bodyLine - 1)
        }
        return RenderedPage(url: page.url, title: page.frontMatter.title, description: page.frontMatter.description,
                            html: site.templates.render(context, layout: layout),
                            markdown: MarkdownCopy.guide(page),
                            layout: layout, sourceFile: page.displayPath, markdownLinks: fileLinks, isListed: true,
                            headings: body.headings.filter { $0.level <= 3 })
    }

    func render(_ operation: APIOperation) -> RenderedPage {
        let tag = site.api.tags.first { $0.name == operation.tag } ?? APITag(name: operation.tag)
        let description = firstSentence(of: operation.description)
        var context = contexts.common(url: operation.url, title: operation.summary, description: description,
                                      breadcrumbs: [(site.config.title, "/"), (tag.name, "/api/#\(tag.slug)"), (operation.summary, operation.url)],
                                      headings: OperationSections.headings(of: operation))
        context["operation"] = OperationContext(markdown: MarkdownRenderer()).context(for: operation)
        if let edit = site.config.editURL(for: "openapi.yaml") { context["editURL"] = edit }
        context["tag"] = ["name": tag.name, "url": "/api/#\(tag.slug)"]
        return RenderedPage(url: operation.url, title: operation.summary, description: description,
                            html: site.templates.render(context, layout: "operation"),
                            markdown: MarkdownCopy.operation(operation),
                            layout: "operation", sourceFile: nil, markdownLinks: [], isListed: true,
                            headings: OperationSections.headings(of: operation))
    }

    func renderAPIIndex() -> RenderedPage {
        let url = "/api/"
        let title = "API reference"
        var context = contexts.common(url: url, title: title, description: site.api.description,
                                      breadcrumbs: [(site.config.title, "/"), (title, url)],
                                      headings: site.api.tags.map { Heading(level: 2, text: $0.name, id: $0.slug) })
        let markdown = MarkdownRenderer()
        context["tags"] = site.api.tags.map { tag in
            [
                "name": tag.name,
                "slug": tag.slug,
                "description": tag.description.map { markdown.render($0, allowRawHTML: false).html } ?? "",
                "operations": site.api.operations.filter { $0.tag == tag.name }.map { operation in
                    ["summary": operation.summary, "url": operation.url, "method": operation.method,
                     "methodClass": operation.method.lowercased(), "path": operation.path]
                },
            ] as [String: Any]
        }
        return RenderedPage(url: url, title: title, description: site.api.description,
                            html: site.templates.render(context, layout: "api-index"),
                            markdown: MarkdownCopy.apiIndex(site.api),
                            layout: "api-index", sourceFile: nil, markdownLinks: [], isListed: true)
    }

    func renderNotFound() -> RenderedPage {
        let url = "/404.html"
        let context = contexts.common(url: url, title: "Page not found", description: nil,
                                      breadcrumbs: [(site.config.title, "/")], markdownCopy: false)
        return RenderedPage(url: url, title: "Page not found", description: nil,
                            html: site.templates.render(context, layout: "not-found"), markdown: nil,
                            layout: "not-found", sourceFile: nil, markdownLinks: [], isListed: false)
    }

    private func firstSentence(of markdown: String) -> String? {
        let plain = markdown.replacingOccurrences(of: "**", with: "").replacingOccurrences(of: "`", with: "")
        guard let end = plain.range(of: ". ") else { return plain.isEmpty ? nil : plain }
        return String(plain[..<end.lowerBound]) + "."
    }
}

/// The sections of an operation page that its table of contents lists; the layout gives
/// them these ids.
enum OperationSections {
    static func headings(of operation: APIOperation) -> [Heading] {
        var headings: [Heading] = []
        if !operation.security.isEmpty { headings.append(Heading(level: 2, text: "Authorization", id: "authorization")) }
        if !operation.pathParameters.isEmpty { headings.append(Heading(level: 2, text: "Path Parameters", id: "path-parameters")) }
        if !operation.queryParameters.isEmpty { headings.append(Heading(level: 2, text: "Query Parameters", id: "query-parameters")) }
        if operation.requestBody != nil { headings.append(Heading(level: 2, text: "Request Body", id: "request-body")) }
        headings.append(Heading(level: 2, text: "Response Body", id: "response-body"))
        if !OperationContext.errors(of: operation).isEmpty { headings.append(Heading(level: 2, text: "Errors", id: "errors")) }
        headings.append(Heading(level: 2, text: "Example request", id: "example-request"))
        if OperationContext.hasTryIt(operation) {
            headings.append(Heading(level: 2, text: "Try it", id: "try-it", needsScript: true))
        }
        return headings
    }
}
