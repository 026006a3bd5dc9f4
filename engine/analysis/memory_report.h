// Per-module memory and time of forward passes (public, torch-free).
//
// The C++ answer to transformers' add_memory_hooks: for every module that ran,
// resident memory before/after its last forward and the accumulated
// difference (mem_rss_diff semantics, zeroed by a reset), allocator bytes
// allocated/freed and the peak above the level at entry (c10 memory
// reporting), wall time, and the bytes of its parameters and buffers.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace lathe {

struct ModuleMemory {
  std::string name;         ///< module path, "" for the model itself
  std::string type;         ///< class name ("Linear", "GPT2Block", ...)
  int depth = 0;            ///< 0 for the model
  std::int64_t calls = 0;   ///< forward calls since the last reset
  std::int64_t rss_pre = 0, rss_post = 0;  ///< bytes, around the last call
  std::int64_t rss_diff = 0;               ///< Σ (post − pre) over calls
  std::int64_t allocated = 0, freed = 0;   ///< allocator bytes during its calls
  std::int64_t peak = 0;                   ///< max allocator bytes above entry level
  double time_ms = 0;                      ///< Σ wall time
  std::int64_t param_bytes = 0, buffer_bytes = 0;  ///< of its whole subtree
};

/// Modules in pre-order (the module tree), every module of the model listed.
struct MemoryReport {
  std::vector<ModuleMemory> modules;
  std::int64_t forward_calls = 0;
};

/// Current resident set size of this process, in bytes (/proc/self/statm).
std::int64_t current_rss_bytes();

}  // namespace lathe
