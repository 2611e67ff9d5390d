import Foundation

/// The script `build-site --serve` adds to every page: it listens to the development server's
/// event stream and reloads the moment a new build is served (pushed, as Hugo and Mintlify
/// do, rather than asked for). It is made only in development, so a published site has no
/// trace of it.
enum LiveReload {
    static let url = "/assets/live-reload.js"

    static let asset = AssetSource(sourcePath: "build-site --serve", url: url, bytes: Data(script.utf8))

    static let script = """
        // Development only: reload when build-site --serve has served a new build.
        (function () {
          "use strict";
          var seen = null;
          new EventSource("/_dev/events").onmessage = function (event) {
            if (seen !== null && event.data !== seen) location.reload();
            seen = event.data;
          };
        })();

        """
}
