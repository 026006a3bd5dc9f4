// The recorder behind MemoryReport (internal: ATen/c10).
#pragma once

#include "analysis/memory_report.h"
#include "nn/module.h"

#include <chrono>
#include <functional>
#include <memory>
#include <unordered_map>

namespace lathe {

class AllocationReporter;

/// Install with nn::ForwardHooksGuard (and the allocator guard via run()).
class MemoryHooks : public nn::ForwardHooks {
 public:
  explicit MemoryHooks(nn::Module& root);
  ~MemoryHooks() override;
  /// Runs fn with the hooks and allocator reporting installed on this thread.
  void run(const std::function<void()>& fn);
  void reset();  ///< reset_memory_hooks_state
  MemoryReport report() const;

  void pre(const nn::Module& m) override;
  void post(const nn::Module& m) override;
  void on_allocation(std::int64_t bytes);  ///< negative for frees

 private:
  struct Active {
    std::size_t index;
    std::int64_t rss_pre, level_at_entry;
    std::chrono::steady_clock::time_point start;
  };
  nn::Module& root_;
  std::unordered_map<const nn::Module*, std::size_t> index_;
  std::vector<ModuleMemory> records_;
  std::vector<Active> stack_;
  std::int64_t level_ = 0;  ///< allocator bytes currently held since install
  std::int64_t calls_ = 0;
  std::shared_ptr<AllocationReporter> reporter_;
};

}  // namespace lathe
