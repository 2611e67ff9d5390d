import Foundation

/// The script `build-site --serve` adds to every page: it asks the development server for
/// the site's version every quarter second and reloads when a new build is served. It is
/// made only in development, so a published site has no trace of it.
enum LiveReload {
    static let url = "/assets/live-reload.js"

    static let asset = AssetSource(sourcePath: "build-site --serve", url: url, bytes: Data(script.utf8))

    static let script = """
        // Development only: reload when build-site --serve has served a new build.
        (function () {
          "use strict";
          var seen = null;
          function ask() {
            fetch("/_dev/site-version", { cache: "no-store" }).then(function (r) { return r.ok ? r.json() : null; }).then(function (body) {
              if (!body) return;
              if (seen !== null && body.version !== seen) location.reload();
              seen = body.version;
            }, function () {}).finally(function () { setTimeout(ask, 250); });
          }
          ask();
        })();

        """
}
