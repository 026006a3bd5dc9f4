// Shared by the libFuzzer targets: invariant checks that turn a parser
// returning nonsense into a crash libFuzzer reports.
//
// Contract under test: on any input a parser returns a result that satisfies
// its documented invariants, or throws lathe::Error. Any other exception
// escapes the target and libFuzzer reports it ("uncaught exception"); so do
// sanitizer findings, timeouts and allocations over -malloc_limit_mb.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>

#define LATHE_FUZZ_CHECK(cond)                                                   \
  do {                                                                           \
    if (!(cond)) {                                                               \
      std::fprintf(stderr, "invariant violated: %s (%s:%d)\n", #cond, __FILE__, \
                   __LINE__);                                                    \
      std::abort();                                                              \
    }                                                                            \
  } while (0)

namespace lathe::fuzz {

inline std::uint64_t read_u64_le(const std::uint8_t* p) {
  std::uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

}  // namespace lathe::fuzz
