import ConnectAPI
import Foundation

/// The demo App's page: three ways to open the connect page (a link that comes back, a
/// popup, embedded), and a log of the events the App receives. No inline script or style;
/// it loads the SDK from the connect page's origin, which its CSP names.
struct DemoPage {
    var appName: String
    var appID: String
    /// e.g. `http://127.0.0.1:8080/connect/`.
    var connectPage: String

    var connectOrigin: String {
        guard let url = URL(string: connectPage), let scheme = url.scheme, let host = url.host else { return "'none'" }
        return "\(scheme)://\(host)\(url.port.map { ":\($0)" } ?? "")"
    }

    var policy: String {
        "default-src 'none'; script-src 'self' \(connectOrigin); style-src 'self'; frame-src \(connectOrigin); connect-src 'self'; "
            + "img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    }

    var html: String {
        let config = String(decoding: (try? JSONEncoder().encode(["connect": connectPage, "app": appID, "name": appName])) ?? Data(), as: UTF8.self)
            .replacingOccurrences(of: "<", with: "\\u003c")
        let name = appName.htmlEscaped
        return SandboxHTML.document(title: "\(appName): demo App (sandbox)", head: """
            <link rel="stylesheet" href="/demo/demo.css">
            <script src="\(connectOrigin)/connect-embed.js" defer></script>
            <script src="/demo/demo.js" defer></script>
            """, body: """
            <main>
            <p class="badge">Sandbox demo</p>
            <h1>\(name)</h1>
            <p>This page plays \(name)'s own website, on another origin than the connect page. Its server side makes the
            connect token with the App's Access Key, which never reaches this browser.</p>
            <p><label for="user">End user id</label> <input id="user" value="demo-user" autocomplete="off" spellcheck="false"></p>
            <div class="modes">
              <button type="button" id="open-link">Open as a link</button>
              <button type="button" id="open-popup">Open in a popup</button>
              <button type="button" id="open-embedded">Open embedded</button>
            </div>
            <p id="status" role="status"></p>
            <h2>Events received</h2>
            <ol id="events" aria-live="polite"></ol>
            </main>
            <script type="application/json" id="demo-config">\(config)</script>
            """)
    }

    static let stylesheet = """
        :root { color-scheme: light dark; --bg: #f6f7f9; --fg: #1b1f24; --muted: #57606a; --accent: #0f766e; --border: #d8dde3; }
        @media (prefers-color-scheme: dark) { :root { --bg: #0f1115; --fg: #e6e8eb; --muted: #a3abb6; --accent: #5eead4; --border: #303641; } }
        body { margin: 0; background: var(--bg); color: var(--fg); font: 16px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
        main { max-width: 40rem; margin: 0 auto; padding: 1.5rem 1rem; }
        .badge { display: inline-block; margin: 0; padding: 0 0.5rem; border: 1px solid var(--border); border-radius: 999px; font-size: 0.8rem; color: var(--muted); }
        .modes { display: flex; flex-wrap: wrap; gap: 0.75rem; margin: 1rem 0; }
        button { font: inherit; font-weight: 600; min-height: 2.75rem; padding: 0.5rem 1.1rem; border-radius: 8px; border: 1px solid var(--accent);
                 background: var(--accent); color: #fff; cursor: pointer; }
        @media (prefers-color-scheme: dark) { button { color: #0f1115; } }
        button:focus-visible, input:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
        input { font: inherit; min-height: 2.5rem; padding: 0.3rem 0.6rem; border: 1px solid var(--border); border-radius: 8px; background: transparent; color: var(--fg); }
        #events { font-family: ui-monospace, monospace; font-size: 0.9rem; overflow-wrap: anywhere; }

        """

    /// The App's frontend. The token comes from its backend (`/demo/token`); an event is a
    /// hint, so completion is confirmed by the backend (`/demo/status`).
    static let script = """
        "use strict";
        (function () {
          var config = JSON.parse(document.getElementById("demo-config").textContent);
          var events = document.getElementById("events"), status = document.getElementById("status");
          function user() { return document.getElementById("user").value.trim() || "demo-user"; }
          function backend(path) {
            return fetch(path, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ user_id: user() }) })
              .then(function (r) { return r.json(); });
          }
          function token() { return backend("/demo/token").then(function (j) { return j.token; }); }
          function confirm() {
            return backend("/demo/status").then(function (j) {
              status.textContent = j.status === "complete" ? "Confirmed by the backend: every requirement is met." : "The backend still misses: " + j.unsatisfied;
            });
          }
          function show(event) {
            var li = document.createElement("li");
            li.textContent = JSON.stringify(event);
            events.appendChild(li);
            if (event.type === "connect:completed") confirm();
          }
          document.getElementById("open-link").addEventListener("click", function () {
            var back = location.origin + "/demo/?returned=1&user=" + encodeURIComponent(user());
            token().then(function (t) {
              location.assign(config.connect + "#token=" + encodeURIComponent(t) + "&return_url=" + encodeURIComponent(back));
            });
          });
          // Both open inside the click; the token follows when the backend answers.
          document.getElementById("open-popup").addEventListener("click", function () {
            DynamiqConnect.open({ url: config.connect, token: token(), mode: "popup", app: config.app, onEvent: show });
          });
          document.getElementById("open-embedded").addEventListener("click", function () {
            DynamiqConnect.open({ url: config.connect, token: token(), mode: "modal", app: config.app, onEvent: show, title: "Connect your accounts for " + config.name });
          });
          var query = new URLSearchParams(location.search);
          if (query.get("returned")) {
            if (query.get("user")) document.getElementById("user").value = query.get("user");
            show({ type: "returned", connect_error: query.get("connect_error") || undefined });
            confirm();
          }
        })();

        """
}
