import ConnectAPI
import Foundation

/// An App as the hosted connect page knows it: its face (name, logo, accent colours) and the
/// origins it may go back to. In production they come from `site.yaml`'s `apps`; the
/// sandbox's Apps bring theirs in `sandbox.yaml`. The page picks the token's App (its `app`
/// claim), and shows the operator's face when there is none.
struct ConnectApp: Decodable, Sendable, Equatable {
    var id: String
    var name: String
    /// A path under `content/`, e.g. `images/apps/support-triage.svg`.
    var logo: String?
    /// The buttons' and focus rings' colour in light mode, under white text.
    var accent: String?
    /// The same in dark mode, under dark text.
    var accentDark: String?
    /// The one list that governs return links, the targets of the page's events, and who
    /// may embed the page: origins such as `https://app.example.com`, `https` or `http` on
    /// loopback only.
    var returnOrigins: [String]?

    enum CodingKeys: String, CodingKey {
        case id, name, logo, accent
        case accentDark = "accent_dark"
        case returnOrigins = "return_origins"
    }

    /// The background the dark accent carries text of, and the light accent's text.
    static let darkText = "#0f1115", lightText = "#ffffff"

    /// The Apps of `site.yaml` and `sandbox.yaml` by id, checked: colours that are colours
    /// and keep text readable (WCAG's 4.5:1), logos that exist, origins that are origins.
    /// - Parameter sandboxOrigins: Added to every sandbox App that has return origins.
    static func load(config: SiteConfig, content: URL, shownAs folder: String,
                     sandboxOrigins: [String] = []) -> (apps: [String: ConnectApp], problems: [BuildProblem]) {
        var apps: [String: ConnectApp] = [:]
        var problems: [BuildProblem] = []
        var sources: [(String, [ConnectApp])] = []
        let sandbox = content.appendingPathComponent("sandbox.yaml")
        if FileManager.default.fileExists(atPath: sandbox.path) {
            do {
                let apps = try YAMLFile.decode(SandboxApps.self, at: sandbox, shownAs: "\(folder)/sandbox.yaml").apps.map { app in
                    var app = app
                    if let listed = app.returnOrigins, !listed.isEmpty {
                        app.returnOrigins = listed + sandboxOrigins.filter { !listed.contains($0) }
                    }
                    return app
                }
                sources.append(("\(folder)/sandbox.yaml", apps))
            } catch { problems.append(error) }
        }
        // site.yaml comes last: the operator's word wins over the sandbox's.
        sources.append(("\(folder)/site.yaml", config.apps ?? []))
        for (file, listed) in sources {
            for app in listed {
                problems += app.problems(content: content, file: file)
                apps[app.id] = app
            }
        }
        return (apps, problems)
    }

    private struct SandboxApps: Decodable {
        var apps: [ConnectApp]
    }

    func problems(content: URL, file: String) -> [BuildProblem] {
        var problems: [BuildProblem] = []
        for (key, colour, text) in [("accent", accent, Self.lightText), ("accent_dark", accentDark, Self.darkText)] {
            guard let colour else { continue }
            guard let parsed = Self.rgb(colour) else {
                problems.append(BuildProblem(file: file, "App \(name): `\(key)` must be a colour such as \"#0f766e\", not \"\(colour)\""))
                continue
            }
            let ratio = Self.contrast(parsed, Self.rgb(text)!)
            if ratio < 4.5 {
                problems.append(BuildProblem(file: file, String(format: "App %@: `%@` %@ has a contrast of %.1f:1 with its %@ text; 4.5:1 is needed (choose a %@ colour)",
                                                                name, key, colour, ratio, key == "accent" ? "white" : "dark", key == "accent" ? "darker" : "lighter")))
            }
        }
        for origin in returnOrigins ?? [] where Self.origin(origin) == nil {
            problems.append(BuildProblem(file: file, "App \(name): `return_origins` has \"\(origin)\", which is not an origin such as \"https://app.example.com\" (https, or http on 127.0.0.1 or localhost; no path)"))
        }
        if let logo, !FileManager.default.fileExists(atPath: content.appendingPathComponent(logo).path) {
            problems.append(BuildProblem(file: file, "App \(name): `logo` \(logo) does not exist under content/"))
        }
        return problems
    }

    /// What the page's script receives, logo as a root-relative URL (hashed by the build).
    struct PageData: Encodable {
        var name: String
        var logo: String?
        var accent: String?
        var accentDark: String?
        var origins: [String]

        enum CodingKeys: String, CodingKey {
            case name, logo, accent, origins
            case accentDark = "accent_dark"
        }
    }

    var pageData: PageData {
        PageData(name: name, logo: logo.map { $0.hasPrefix("/") ? $0 : "/" + $0 },
                 accent: accent.flatMap(Self.rgb).map(Self.hex), accentDark: accentDark.flatMap(Self.rgb).map(Self.hex),
                 origins: (returnOrigins ?? []).compactMap(Self.origin))
    }

    /// An origin as browsers write it (`scheme://host[:port]`, lowercase, no default port),
    /// when it is one the page may go back to: `https`, or `http` on loopback.
    static func origin(_ text: String) -> String? {
        guard let url = URLComponents(string: text), let scheme = url.scheme?.lowercased(), let host = url.host?.lowercased(), !host.isEmpty,
              url.path.isEmpty, url.query == nil, url.fragment == nil, url.user == nil, url.password == nil else { return nil }
        let loopback = host == "127.0.0.1" || host == "localhost" || host == "[::1]" || host == "::1"
        guard scheme == "https" || (scheme == "http" && loopback) else { return nil }
        let defaultPort = scheme == "https" ? 443 : 80
        let port = url.port.flatMap { $0 == defaultPort ? nil : $0 }
        return "\(scheme)://\(host)\(port.map { ":\($0)" } ?? "")"
    }

    /// `#rgb` or `#rrggbb` as 0...1 components; nil for anything else (it could break out of CSS).
    static func rgb(_ text: String) -> (Double, Double, Double)? {
        guard let colour = ContentLoader.cssColour(text) else { return nil }
        var hex = Array(colour.dropFirst())
        if hex.count == 3 { hex = hex.flatMap { [$0, $0] } }
        let value = { (i: Int) in Double(Int(String(hex[i..<i + 2]), radix: 16)!) / 255 }
        return (value(0), value(2), value(4))
    }

    static func hex(_ rgb: (Double, Double, Double)) -> String {
        String(format: "#%02x%02x%02x", Int((rgb.0 * 255).rounded()), Int((rgb.1 * 255).rounded()), Int((rgb.2 * 255).rounded()))
    }

    /// WCAG 2's contrast ratio.
    static func contrast(_ a: (Double, Double, Double), _ b: (Double, Double, Double)) -> Double {
        func luminance(_ c: (Double, Double, Double)) -> Double {
            func channel(_ v: Double) -> Double { v <= 0.03928 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4) }
            return 0.2126 * channel(c.0) + 0.7152 * channel(c.1) + 0.0722 * channel(c.2)
        }
        let (x, y) = (luminance(a), luminance(b))
        return (max(x, y) + 0.05) / (min(x, y) + 0.05)
    }
}
