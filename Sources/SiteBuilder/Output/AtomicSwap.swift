import CAtomicRename

/// `renameat2(RENAME_EXCHANGE)`: swaps two paths in one step, so a reader sees either the
/// old folder or the new one, never neither.
enum AtomicSwap {
    static func exchange(_ first: String, _ second: String) -> Bool {
        connectsite_exchange_paths(first, second) == 0
    }
}
