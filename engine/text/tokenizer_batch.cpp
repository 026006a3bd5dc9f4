// Tokenizer::encode_batch: the inputs encoded on a few threads (as the Rust
// library's encode_batch does on rayon's pool), results in input order, then
// padded together. Encoding is const and thread-safe: the components keep no
// per-call state except the BPE word cache (locked) and PCRE2 match data
// (per thread).
#include "text/tokenizer.h"

#include "text/padding.h"

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <exception>
#include <mutex>
#include <thread>

namespace lathe {

namespace {
// $LATHE_THREADS, else $OMP_NUM_THREADS, else the CPU count (the rule of
// runtime/threads.h, read here because engine/text does not link LibTorch).
std::size_t batch_threads() {
  for (const char* var : {"LATHE_THREADS", "OMP_NUM_THREADS"}) {
    if (const char* v = std::getenv(var)) {
      char* end = nullptr;
      long n = std::strtol(v, &end, 10);
      if (end != v && n > 0) return static_cast<std::size_t>(std::min(n, 1024L));
    }
  }
  unsigned hw = std::thread::hardware_concurrency();
  return hw ? hw : 1;
}

// Runs encode_one(i) for i in [0, n) on up to batch_threads() threads (the
// caller is one of them), taking indices from a shared counter; after an
// exception no new index is taken, and the one of the lowest index (what a
// sequential loop would have thrown) is rethrown once all threads stopped.
template <class F>
void parallel_for(std::size_t n, F encode_one) {
  std::size_t threads = std::min(batch_threads(), n);
  if (threads <= 1) {
    for (std::size_t i = 0; i < n; ++i) encode_one(i);
    return;
  }
  std::atomic<std::size_t> next{0};
  std::exception_ptr error;
  std::size_t error_index = n;
  std::mutex error_mu;
  auto worker = [&] {
    for (std::size_t i; (i = next.fetch_add(1, std::memory_order_relaxed)) < n;) {
      try {
        encode_one(i);
      } catch (...) {
        std::lock_guard<std::mutex> lock(error_mu);
        if (i < error_index) {
          error = std::current_exception();
          error_index = i;
        }
        next.store(n, std::memory_order_relaxed);
      }
    }
  };
  std::vector<std::thread> pool;
  pool.reserve(threads - 1);
  for (std::size_t t = 1; t < threads; ++t) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
  if (error) std::rethrow_exception(error);
}
}  // namespace

std::vector<TokenEncoding> Tokenizer::encode_batch(const std::vector<std::string>& texts, bool add_special_tokens) const {
  std::vector<TokenEncoding> out(texts.size());
  parallel_for(texts.size(), [&](std::size_t i) { out[i] = encode(texts[i], add_special_tokens); });
  if (padding_) text::pad_encodings(out, *padding_);
  return out;
}

std::vector<TokenEncoding> Tokenizer::encode_batch(const std::vector<std::pair<std::string, std::string>>& pairs,
                                                   bool add_special_tokens) const {
  std::vector<TokenEncoding> out(pairs.size());
  parallel_for(pairs.size(),
               [&](std::size_t i) { out[i] = encode_pair(pairs[i].first, pairs[i].second, add_special_tokens); });
  if (padding_) text::pad_encodings(out, *padding_);
  return out;
}

}  // namespace lathe
