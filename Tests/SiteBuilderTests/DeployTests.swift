import ConnectAPI
import Foundation
import Testing
@testable import SiteBuilder

/// `deploy/`: the nginx, Caddy and `_headers` configs made from the manifest and ConnectAPI's
/// policies. Real nginx and Caddy run them in Tests/Deploy; here, the `_headers` file (which
/// no server here can run) is applied as the CDNs document and held to the policy.
@Suite struct DeployTests {
    /// The rules of a `_headers` file, parsed as Cloudflare Pages and Netlify read it.
    struct Rule {
        var pattern: String
        var detached: [String] = []
        var fields: [(String, String)] = []

        /// `*` matches anything, slashes included; the rest literally.
        func matches(_ path: String) -> Bool {
            let parts = pattern.components(separatedBy: "*")
            guard parts.count > 1 else { return path == pattern }
            guard path.hasPrefix(parts[0]) else { return false }
            var rest = Substring(path.dropFirst(parts[0].count))
            for part in parts.dropFirst().dropLast() where !part.isEmpty {
                guard let found = rest.range(of: part) else { return false }
                rest = rest[found.upperBound...]
            }
            return parts.last!.isEmpty || rest.hasSuffix(parts.last!)
        }
    }

    static func parse(_ text: String) -> [Rule] {
        var rules: [Rule] = []
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            if line.hasPrefix("/") {
                rules.append(Rule(pattern: String(line)))
            } else if line.hasPrefix("  ! ") {
                rules[rules.count - 1].detached.append(String(line.dropFirst(4)))
            } else if let colon = line.firstIndex(of: ":") {
                let name = line[..<colon].trimmingCharacters(in: .whitespaces)
                rules[rules.count - 1].fields.append((name, line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
            }
        }
        return rules
    }

    /// Cloudflare Pages: every matching rule's headers; a header set by several is joined
    /// with a comma; `! Name` detaches what the other matching rules set.
    static func cloudflare(_ rules: [Rule], _ path: String) -> [String: String] {
        let matching = rules.filter { $0.matches(path) }
        var values: [String: [String]] = [:]
        for rule in matching {
            for (name, value) in rule.fields {
                let detachedElsewhere = matching.contains { $0.pattern != rule.pattern && $0.detached.contains(name) }
                if !detachedElsewhere { values[name, default: []].append(value) }
            }
        }
        return values.mapValues { $0.joined(separator: ", ") }
    }

    /// Netlify (its CLI's `headersForPath`): the matching rules in order, a later rule's
    /// header replacing an earlier one's.
    static func netlify(_ rules: [Rule], _ path: String) -> [String: String] {
        var values: [String: String] = [:]
        for rule in rules where rule.matches(path) {
            for (name, value) in rule.fields { values[name] = value }
        }
        return values
    }

    static func expected(_ entry: ManifestEntry, policy: ResponseHeaderPolicy) -> [String: String] {
        var headers = Dictionary(uniqueKeysWithValues: policy.fields(scriptHashes: entry.scriptHashes, styleHashes: entry.styleHashes,
                                                                     frameAncestors: entry.frameAncestors).map { ($0.name, $0.value) })
        headers["Cache-Control"] = CachePolicy.cacheControl(immutable: entry.immutable)
        return headers
    }

    @Test(arguments: [false, true])
    func theHeadersFileGivesEveryURLThePolicysHeaders(hsts: Bool) async throws {
        let site = try FixtureSite(contentFolder: FixtureSite.repository.appendingPathComponent("content"))
        defer { site.remove() }
        _ = try await site.build()
        let manifest = try SiteManifest.decode(Data(contentsOf: site.output.appendingPathComponent(SiteManifest.fileName)))
        var settings = DeploySettings()
        settings.hsts = hsts
        let text = try HeadersFile.render(DeploySite(manifest: manifest, settings: settings))
        let rules = Self.parse(text)
        #expect(rules.count <= HeadersFile.maxRules)
        #expect(text.split(separator: "\n").allSatisfy { $0.utf8.count <= 2000 }, "Cloudflare reads lines of up to 2,000 characters")
        let policy = ResponseHeaderPolicy(hsts: hsts)
        for entry in manifest.entries {
            #expect(Self.cloudflare(rules, entry.path) == Self.expected(entry, policy: policy), "Cloudflare: \(entry.path)")
            #expect(Self.netlify(rules, entry.path) == Self.expected(entry, policy: policy), "Netlify: \(entry.path)")
        }
        #expect(manifest.entries.contains { $0.frameAncestors != nil && $0.scriptHashes != nil }, "the connect page is covered")
        #expect(manifest.entries.contains { $0.immutable } && manifest.entries.contains { !$0.immutable })
    }

    @Test func theBuildWritesTheConfigsBesideItsOutput() async throws {
        let site = try FixtureSite(contentFolder: FixtureSite.repository.appendingPathComponent("content"))
        defer { site.remove() }
        _ = try await site.build()
        let deploy = site.root.appendingPathComponent("deploy")
        let names = try FileManager.default.contentsOfDirectory(atPath: deploy.path).sorted()
        #expect(names == DeployFiles.names.map(\.name).sorted())
        let nginx = try String(contentsOf: deploy.appendingPathComponent("nginx.conf"), encoding: .utf8)
        #expect(nginx.contains("root /srv/connect-site/public;"))
        #expect(nginx.contains("listen 8080;"))
        #expect(nginx.contains("proxy_pass https://api.getdynamiq.ai;"))
        #expect(nginx.contains(ResponseHeaderPolicy.contentSecurityPolicy))
        for template in ConnectRoute.templates {
            #expect(nginx.contains("~^\(template.method) \(template.pathPattern.dropFirst())"))
        }
    }

    /// The guide shows the files the build made, byte for byte, in the page and its Markdown copy.
    @Test func theGuideShowsTheGeneratedFiles() async throws {
        let site = try FixtureSite(contentFolder: FixtureSite.repository.appendingPathComponent("content"))
        defer { site.remove() }
        _ = try await site.build()
        let html = try site.read("docs/running-connect-server/index.html")
        let markdown = try site.read("docs/running-connect-server/index.md")
        for (name, language) in DeployFiles.names {
            let file = try String(contentsOf: site.root.appendingPathComponent("deploy/\(name)"), encoding: .utf8)
            let shown = RealContentTests.codeBlocks(in: html, language: language)
            #expect(shown.contains(file), "the guide does not show deploy/\(name) as built")
            #expect(markdown.contains("````\(language)\n" + file + "````"), "the Markdown copy does not show deploy/\(name)")
        }
        #expect(!html.contains(DeployInclude.tokenPrefix) && !markdown.contains(DeployInclude.tokenPrefix))
        // The files made from all pages: llms-full.txt shows the configs; the search index
        // stays valid JSON and leaves them out.
        let nginx = try String(contentsOf: site.root.appendingPathComponent("deploy/nginx.conf"), encoding: .utf8)
        #expect(try site.read("llms-full.txt").contains(nginx))
        let index = try site.read(String(SearchIndex.url.dropFirst()))
        #expect(!index.contains(DeployInclude.tokenPrefix) && !index.contains("proxy_pass"))
        #expect(try JSONSerialization.jsonObject(with: Data(index.utf8)) is [Any])
    }

    @Test func anIncludeOfAFileNotGeneratedStopsTheBuildAtItsLine() async throws {
        let site = try FixtureSite()
        defer { site.remove() }
        try site.write("---\ntitle: Deploying\n---\n\nIntro.\n\n<!-- include deploy/apache.conf -->\n", to: "docs/deploying.md")
        let problems = await site.problems()
        #expect(problems.contains {
            $0.hasPrefix("content/docs/deploying.md:7: includes deploy/apache.conf, which the build does not generate")
        }, "\(problems)")
    }

    @Test func badDeploySettingsStopTheBuild() async throws {
        let site = try FixtureSite()
        defer { site.remove() }
        let yaml = try String(contentsOf: site.content.appendingPathComponent("site.yaml"), encoding: .utf8)
        try site.write(yaml + "\ndeploy:\n  root: srv/public\n  upstream: ftp://example.com\n  listen: 0\n", to: "site.yaml")
        let problems = await site.problems()
        #expect(problems.contains { $0.hasPrefix("content/site.yaml: `deploy.root` must be an absolute path") }, "\(problems)")
        #expect(problems.contains { $0.hasPrefix("content/site.yaml: `deploy.upstream` must be an http(s) address") })
        #expect(problems.contains { $0.hasPrefix("content/site.yaml: `deploy.listen` must be a port") })
    }

    @Test func anUpstreamPathIsKeptBeforeV1() throws {
        var settings = DeploySettings()
        settings.upstream = "https://gateway.example.com/dynamiq/"
        let site = try DeploySite(manifest: SiteManifest(notFound: nil, entries: []), settings: settings)
        #expect(NginxConfig.render(site).contains("proxy_pass https://gateway.example.com/dynamiq/v1/;"))
        #expect(CaddyConfig.render(site).contains("rewrite * /dynamiq{uri}"))
    }

    /// The policy lives in code: no page of content/ carries a copy of it.
    @Test func noHandWrittenPolicyIsLeftInContent() throws {
        let content = FixtureSite.repository.appendingPathComponent("content")
        let enumerator = FileManager.default.enumerator(at: content, includingPropertiesForKeys: nil)!
        for case let url as URL in enumerator where ["md", "yaml"].contains(url.pathExtension) {
            let text = try String(contentsOf: url, encoding: .utf8)
            #expect(!text.contains("default-src"), "\(url.path) copies the Content-Security-Policy")
            #expect(!text.contains("max-age=31536000"), "\(url.path) copies the cache rule")
        }
    }

    @Test func greaterThanPatternMatchesExactlyTheLargerNumbers() throws {
        let expression = try NSRegularExpression(pattern: CaddyConfig.greaterThanPattern(65536))
        for number in [0, 1, 9999, 65535, 65536, 65537, 65540, 65600, 66000, 70000, 99999, 100000, 1_000_000] {
            let text = String(number)
            let matched = expression.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
            #expect(matched == (number > 65536), "\(number)")
        }
    }
}
