import ConnectAPI

/// The HTML of the consent screen: small, styled, accessible, and with no inline script or
/// style (its stylesheet and script are served beside it).
struct ConsentPage {
    var appName: String
    /// e.g. "Google account", "Gmail account".
    var accountName: String
    /// What the App will reach, e.g. "Google Drive".
    var detail: String

    func question(flowID: String) -> String {
        let title = "Sandbox: let \(appName) use your \(accountName)?"
        return Self.document(title: title, body: """
            <p class="badge">Sandbox</p>
            <h1>\(Self.escape(title))</h1>
            <p>\(Self.escape(appName)) asks to use your \(Self.escape(accountName)) for <strong>\(Self.escape(detail))</strong>.
            This is the local sandbox: no real account is reached and nothing leaves this machine.</p>
            <form method="post" action="/sandbox/consent/\(flowID)">
              <div class="actions">
                <button type="submit" name="decision" value="allow" class="primary">Allow</button>
                <button type="submit" name="decision" value="deny">Deny</button>
              </div>
            </form>
            """)
    }

    static func message(title: String, text: String, closes: Bool = false) -> String {
        document(title: title, body: """
            <p class="badge">Sandbox</p>
            <h1>\(escape(title))</h1>
            <p role="status">\(escape(text))</p>
            """, script: closes)
    }

    private static func document(title: String, body: String, script: Bool = false) -> String {
        SandboxHTML.document(title: title, head: #"<link rel="stylesheet" href="/sandbox/consent.css">"#
                                 + (script ? #"\#n<script src="/sandbox/consent.js" defer></script>"# : ""),
                             body: "<main class=\"card\">\n\(body)\n</main>")
    }

    static func escape(_ text: String) -> String { text.htmlEscaped }

    static let stylesheet = """
        :root { color-scheme: light dark; --bg: #f6f7f9; --card: #fff; --fg: #1b1f24; --muted: #5b6470; --accent: #4f46e5; --border: #e3e6ea; }
        @media (prefers-color-scheme: dark) { :root { --bg: #0f1115; --card: #161a20; --fg: #e6e8eb; --muted: #a0a8b4; --accent: #a5b4fc; --border: #2a2f37; } }
        body { margin: 0; min-height: 100vh; display: grid; place-items: center; background: var(--bg); color: var(--fg);
               font: 16px/1.6 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
        .card { max-width: 28rem; margin: 1rem; padding: 1.75rem; background: var(--card); border: 1px solid var(--border); border-radius: 12px; }
        h1 { font-size: 1.3rem; line-height: 1.3; margin: 0.25rem 0 0.75rem; }
        .badge { display: inline-block; margin: 0; padding: 0 0.5rem; border: 1px solid var(--border); border-radius: 999px; font-size: 0.8rem; color: var(--muted); }
        .actions { display: flex; gap: 0.75rem; margin-top: 1.25rem; }
        button { font: inherit; padding: 0.55rem 1.25rem; border-radius: 8px; border: 1px solid var(--border); background: transparent; color: var(--fg); cursor: pointer; }
        button.primary { background: var(--accent); border-color: var(--accent); color: #fff; }
        @media (prefers-color-scheme: dark) { button.primary { color: #0f1115; } }
        button:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }

        """

    /// Closes the tab where the browser allows it (a window the connect page opened).
    static let script = """
        "use strict";
        window.setTimeout(function () { window.close(); }, 1200);

        """
}
