#include "runtime/threads.h"

#include <ATen/Parallel.h>

#include <cstdlib>
#include <thread>

namespace lathe {

static int env_int(const char* name) {
  const char* v = std::getenv(name);
  if (!v || !*v) return 0;
  int n = std::atoi(v);
  return n > 0 ? n : 0;
}

int init_threads(int threads) {
  int n = threads;
  if (n <= 0) n = env_int("LATHE_THREADS");
  if (n <= 0) n = env_int("OMP_NUM_THREADS");
  if (n <= 0) n = static_cast<int>(std::thread::hardware_concurrency());
  if (n <= 0) n = 1;
  if (at::get_num_threads() != n) at::set_num_threads(n);
  return n;
}

int current_threads() { return at::get_num_threads(); }

}  // namespace lathe
