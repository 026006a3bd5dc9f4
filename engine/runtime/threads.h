// Thread-count setup. LibTorch defaults to 1 intra-op thread on this kind of VM
// (toolchain.md §3g); every entry point calls init_threads() once.
#pragma once

namespace lathe {

/// Sets LibTorch's intra-op thread count: `threads` if > 0, else $LATHE_THREADS,
/// else $OMP_NUM_THREADS, else the number of online CPUs. Returns the count set.
int init_threads(int threads = 0);
/// The current intra-op thread count.
int current_threads();

}  // namespace lathe
