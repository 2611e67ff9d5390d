import Synchronization

/// The `X-Request-Id` that ties a client's call, the access log and the upstream's logs.
public enum RequestIdentifier {
    /// The client's id when it is well formed: 1 to 128 characters of letters, digits,
    /// `-`, `_`, `.` and `:`. Anything else could forge or break a log line.
    public static func accept(_ value: String?) -> String? {
        guard let value, (1...128).contains(value.utf8.count) else { return nil }
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"),
                 UInt8(ascii: "."), UInt8(ascii: ":"):
                continue
            default:
                return nil
            }
        }
        return value
    }

    /// The client's id when it is well formed, else a new one: the one rule every path uses.
    public static func resolve(_ value: String?) -> String {
        accept(value) ?? generate()
    }

    /// A new id: 32 lowercase hex digits, a random half chosen at start and a counter.
    /// Unique, not secret (it is sent to the client); drawing 128 random bits per request
    /// cost two `getrandom` calls on the proxy's hot path.
    public static func generate() -> String {
        hex(prefix, counter.wrappingAdd(1, ordering: .relaxed).oldValue)
    }

    private static let prefix = UInt64.random(in: .min ... .max)
    private static let counter = Atomic<UInt64>(UInt64.random(in: 0 ... (1 << 48)))

    private static func hex(_ high: UInt64, _ low: UInt64) -> String {
        String(unsafeUninitializedCapacity: 32) { buffer in
            let digits: StaticString = "0123456789abcdef"
            for index in 0..<32 {
                let word = index < 16 ? high : low
                let nibble = Int((word >> UInt64(60 - 4 * (index % 16))) & 0xF)
                buffer[index] = digits.utf8Start[nibble]
            }
            return 32
        }
    }
}
