import ConnectAPI

/// The frame of every HTML page the sandbox serves (consent, demo): a document with no
/// inline script or style, under the page CSP of `SandboxResponse`.
enum SandboxHTML {
    /// - Parameters:
    ///   - head: The page's own `<link>` and `<script src>` elements.
    ///   - body: What goes inside `<body>`.
    static func document(title: String, head: String, body: String) -> String {
        """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="referrer" content="no-referrer">
        <title>\(title.htmlEscaped)</title>
        \(head)
        </head>
        <body>
        \(body)
        </body>
        </html>

        """
    }
}
