/// How the server writes its log: `--log-format text` (the default) or `json`.
public enum LogFormat: String, Sendable, CaseIterable {
    /// One readable line per request or event, for a terminal.
    case text
    /// One JSON object per line (``JSONLogHandler``), for Loki, Elasticsearch or Cloud Logging.
    case json
}
