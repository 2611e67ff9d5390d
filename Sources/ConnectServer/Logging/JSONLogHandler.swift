#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import ConnectAPI
import Logging

/// A swift-log handler that writes one JSON object per line:
/// `{"time":"2026-12-02T06:01:02.345Z","level":"info","logger":"connect-server.access","message":"request","status":200,...}`.
///
/// The fixed keys come first, then the metadata's in name order, so lines diff well. A
/// metadata value that is an integer, a floating-point number or a Bool stays a JSON
/// number or Bool; everything else is a string. What goes in is already redacted by the
/// code that logs it (``AccessLog``, ``Redaction``): the handler only encodes.
public struct JSONLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .info
    let label: String
    /// Receives each line, with its newline.
    let write: @Sendable (String) -> Void

    public init(label: String, write: @escaping @Sendable (String) -> Void) {
        self.label = label
        self.write = write
    }

    /// Writes to standard error, one `write(2)` per line so that lines from several threads
    /// never interleave (a pipe keeps writes up to 4 KiB whole).
    public static func standardError(label: String) -> JSONLogHandler {
        JSONLogHandler(label: label, write: writeToStandardError)
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var fields = metadata
        if let explicit = event.metadata { fields.merge(explicit) { _, new in new } }
        var text = "{\"time\":\"" + Self.timestamp() + "\",\"level\":\"" + event.level.rawValue + "\",\"logger\":"
        Self.appendString(label, to: &text)
        text += ",\"message\":"
        Self.appendString(event.message.description, to: &text)
        for key in fields.keys.sorted() where !["time", "level", "logger", "message"].contains(key) {
            text += ","
            Self.appendString(key, to: &text)
            text += ":"
            Self.append(fields[key]!, to: &text)
        }
        text += "}\n"
        write(text)
    }

    static func append(_ value: Logger.Metadata.Value, to text: inout String) {
        switch value {
        case .string(let string):
            appendString(string, to: &text)
        case .stringConvertible(let value):
            switch value {
            case let number as Int: text += String(number)
            case let number as Int64: text += String(number)
            case let number as UInt: text += String(number)
            case let number as Double where number.isFinite: text += String(number)
            case let flag as Bool: text += flag ? "true" : "false"
            default: appendString(value.description, to: &text)
            }
        case .array(let values):
            text += "["
            for (index, value) in values.enumerated() {
                if index > 0 { text += "," }
                append(value, to: &text)
            }
            text += "]"
        case .dictionary(let values):
            text += "{"
            for (index, key) in values.keys.sorted().enumerated() {
                if index > 0 { text += "," }
                appendString(key, to: &text)
                text += ":"
                append(values[key]!, to: &text)
            }
            text += "}"
        }
    }

    static func appendString(_ string: String, to text: inout String) {
        text += JSONText.quoted(string)
    }

    /// Now in UTC, RFC 3339 with milliseconds.
    static func timestamp() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var seconds = now.tv_sec
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let millis = Int(now.tv_nsec / 1_000_000)
        let fraction = millis < 10 ? "00\(millis)" : millis < 100 ? "0\(millis)" : "\(millis)"
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T"
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)).\(fraction)Z"
    }
}

private func writeToStandardError(_ line: String) {
    var line = line
    line.withUTF8 { bytes in
        var offset = 0
        while offset < bytes.count {
            #if canImport(Darwin)
            let written = Darwin.write(2, bytes.baseAddress! + offset, bytes.count - offset)
            #else
            let written = Glibc.write(2, bytes.baseAddress! + offset, bytes.count - offset)
            #endif
            if written <= 0 { break }
            offset += written
        }
    }
}
