#include "analysis/memory_hooks.h"

#include <c10/core/Allocator.h>
#include <c10/util/ThreadLocalDebugInfo.h>

#include <algorithm>
#include <cstdio>
#include <unistd.h>
#include <unordered_set>

namespace lathe {

std::int64_t current_rss_bytes() {
  std::FILE* f = std::fopen("/proc/self/statm", "r");
  if (!f) return 0;
  long long size = 0, resident = 0;
  int n = std::fscanf(f, "%lld %lld", &size, &resident);
  std::fclose(f);
  return n == 2 ? resident * static_cast<std::int64_t>(::sysconf(_SC_PAGESIZE)) : 0;
}

// Receives every CPU allocation and free made on this thread while installed.
class AllocationReporter : public c10::MemoryReportingInfoBase {
 public:
  explicit AllocationReporter(MemoryHooks* h) : hooks_(h) {}
  void reportMemoryUsage(void*, int64_t alloc_size, int64_t, int64_t, c10::Device) override {
    hooks_->on_allocation(alloc_size);
  }
  bool memoryProfilingEnabled() const override { return true; }

 private:
  MemoryHooks* hooks_;
};

MemoryHooks::MemoryHooks(nn::Module& root) : root_(root), reporter_(std::make_shared<AllocationReporter>(this)) {
  root.named_modules([&](const std::string& name, nn::Module& m) {
    ModuleMemory r;
    r.name = name;
    r.type = m.type_name();
    r.depth = name.empty() ? 0 : 1 + static_cast<int>(std::count(name.begin(), name.end(), '.'));
    // Subtree bytes, each shared (tied) tensor once.
    for (const auto& [n, p] : m.named_parameters()) r.param_bytes += p->value.numel() * static_cast<std::int64_t>(p->value.element_size());
    for (const auto& [n, b] : m.named_buffers()) r.buffer_bytes += b->value.numel() * static_cast<std::int64_t>(b->value.element_size());
    index_[&m] = records_.size();
    records_.push_back(std::move(r));
  });
}

MemoryHooks::~MemoryHooks() = default;

void MemoryHooks::run(const std::function<void()>& fn) {
  nn::ForwardHooksGuard hooks(this);
  c10::DebugInfoGuard alloc(c10::DebugInfoKind::PROFILER_STATE, reporter_);
  ++calls_;
  nn::ForwardScope root(root_);
  fn();
}

void MemoryHooks::reset() {
  for (auto& r : records_) {
    r.calls = 0;
    r.rss_pre = r.rss_post = r.rss_diff = 0;
    r.allocated = r.freed = r.peak = 0;
    r.time_ms = 0;
  }
  calls_ = 0;
}

void MemoryHooks::pre(const nn::Module& m) {
  auto it = index_.find(&m);
  if (it == index_.end()) return;  // a helper object outside the tree
  Active a{it->second, current_rss_bytes(), level_, std::chrono::steady_clock::now()};
  records_[a.index].rss_pre = a.rss_pre;
  stack_.push_back(a);
}

void MemoryHooks::post(const nn::Module& m) {
  auto it = index_.find(&m);
  if (it == index_.end() || stack_.empty() || stack_.back().index != it->second) return;
  Active a = stack_.back();
  stack_.pop_back();
  ModuleMemory& r = records_[a.index];
  r.rss_post = current_rss_bytes();
  r.rss_diff += r.rss_post - a.rss_pre;
  r.calls += 1;
  r.time_ms += std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - a.start).count();
}

void MemoryHooks::on_allocation(std::int64_t bytes) {
  level_ += bytes;
  for (const Active& a : stack_) {
    ModuleMemory& r = records_[a.index];
    if (bytes > 0) r.allocated += bytes;
    else r.freed -= bytes;
    r.peak = std::max(r.peak, level_ - a.level_at_entry);
  }
}

MemoryReport MemoryHooks::report() const {
  MemoryReport rep;
  rep.modules = records_;
  rep.forward_calls = calls_;
  return rep;
}

}  // namespace lathe
