#ifndef C_ATOMIC_RENAME_H
#define C_ATOMIC_RENAME_H

/// Swaps two paths in one step with renameat2(RENAME_EXCHANGE).
/// Returns 0 on success, -1 where the kernel or file system cannot (errno says why).
int connectsite_exchange_paths(const char *first, const char *second);

#endif
