import NIOConcurrencyHelpers
import NIOCore

/// A token bucket per client: `perMinute` calls in a burst, refilled evenly over a minute.
public final class RateLimiter: Sendable {
    /// What the limiter decided for one call.
    public enum Decision: Equatable, Sendable {
        case allowed
        /// Refused; a token is back after this many whole seconds.
        case limited(retryAfterSeconds: Int)
    }

    private struct Bucket {
        var tokens: Double
        var updated: UInt64
    }

    private let capacity: Double
    private let refillPerNanosecond: Double
    private let buckets = NIOLockedValueBox<[String: Bucket]>([:])
    /// Past this many clients, full buckets are forgotten so memory stays bounded.
    private let pruneThreshold = 10_000

    /// - Parameter perMinute: Calls a client may make a minute; 0 turns the limit off.
    public init(perMinute: Int) {
        capacity = Double(max(perMinute, 0))
        refillPerNanosecond = Double(max(perMinute, 0)) / 60e9
    }

    /// Takes a token for `client` if one is left.
    /// - Parameters:
    ///   - client: The key, the client's IP address.
    ///   - now: Monotonic nanoseconds; tests pass their own.
    public func acquire(client: String, now: UInt64 = NIODeadline.now().uptimeNanoseconds) -> Decision {
        guard capacity > 0 else { return .allowed }
        return buckets.withLockedValue { buckets in
            if buckets.count > pruneThreshold { prune(&buckets, now: now) }
            var bucket = buckets[client] ?? Bucket(tokens: capacity, updated: now)
            let elapsed = Double(now &- bucket.updated)
            bucket.tokens = min(capacity, bucket.tokens + elapsed * refillPerNanosecond)
            bucket.updated = now
            defer { buckets[client] = bucket }
            if bucket.tokens >= 1 {
                bucket.tokens -= 1
                return .allowed
            }
            let wait = (1 - bucket.tokens) / refillPerNanosecond / 1e9
            return .limited(retryAfterSeconds: max(1, Int(wait.rounded(.up))))
        }
    }

    private func prune(_ buckets: inout [String: Bucket], now: UInt64) {
        buckets = buckets.filter { _, bucket in
            bucket.tokens + Double(now &- bucket.updated) * refillPerNanosecond < capacity
        }
    }
}
