// lathe::nn::Module — a small module tree over ATen (internal: includes ATen).
//
// Why not torch::nn::Module: its layers allocate in their constructors and
// cannot live on the meta device (toolchain.md §3c), it has no hooks, and its
// header costs 6-10 s per translation unit. Here a module is a named, ordered
// tree of parameter slots, buffers and children, walked in PyTorch's order so
// names are the Hugging Face state-dict keys.
//
// Tying works as in PyTorch: two modules holding the same ParamSlot are the
// "same Parameter object" — replacing the slot's tensor updates both, and
// named_parameters() lists it once.
#pragma once

#include <ATen/core/Tensor.h>

#include <exception>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace lathe::nn {

struct ParamSlot {
  at::Tensor value;
  bool requires_grad = true;
  /// num_parameters counts numel()·this (bitsandbytes' packed 4-bit weights: 2).
  int count_factor = 1;
};
using Param = std::shared_ptr<ParamSlot>;

struct BufferSlot {
  at::Tensor value;
  bool persistent = true;
};

/// A hook attached to one module (accelerate's add_hook_to_module): runs inside
/// the module's ForwardScope, after the thread's ForwardHooks pre() and before
/// their post(), as `_hf_hook` runs inside torch's pre/post forward hooks.
class Module;
class ModuleHook {
 public:
  virtual ~ModuleHook() = default;
  virtual void pre_forward(const Module& m) = 0;
  virtual void post_forward(const Module& m) noexcept = 0;
};

/// A child transformers builds that holds no tensor Lathe keeps: a dropout, an
/// activation module, 4.47's per-attention rotary embedding (whose inv_freq
/// buffer Lathe shares at model level). accelerate places such modules like any
/// other, so the module trees of planning list them; the module that owns one
/// declares it (declare_tensorless), nothing else needs to know the architecture.
struct TensorlessChild {
  std::string after;  ///< the child it follows ("" = before all children; unknown = after all)
  std::string name;
  std::string type_name;
  /// float32 buffers transformers gives it (name, shape), e.g. {"inv_freq", {64}}.
  std::vector<std::pair<std::string, std::vector<std::int64_t>>> float32_buffers;
};

class Module {
 public:
  explicit Module(std::string type_name) : type_name_(std::move(type_name)) {}
  virtual ~Module() = default;
  Module(const Module&) = delete;
  Module& operator=(const Module&) = delete;

  /// The Python class name ("Linear", "GPT2Block"): no-split classes and
  /// footprint-by-type read it.
  const std::string& type_name() const { return type_name_; }
  /// Renames the class (a Linear quantised in place becomes "Linear4bit").
  void set_type_name(std::string name) { type_name_ = std::move(name); }

  /// Registers (or replaces the tensor of) a parameter; returns its slot.
  Param add_param(const std::string& name, at::Tensor value, bool requires_grad = true);
  /// Makes `name` hold `slot` (tying): a later change through either owner shows in both.
  void set_param(const std::string& name, Param slot);
  /// The slot, or nullptr when absent (e.g. a Linear without bias).
  Param param(const std::string& name) const;
  /// Removes a parameter (e.g. bias=None after a resize).
  void remove_param(const std::string& name);
  void add_buffer(const std::string& name, at::Tensor value, bool persistent = true);
  BufferSlot* buffer(const std::string& name);
  /// Extra state-dict entries that are neither parameters nor buffers (as a
  /// module's _save_to_state_dict adds them: bitsandbytes' "SCB",
  /// "weight.absmax", ...). state_dict() lists them after the buffers and
  /// find_tensor() finds them; parameter counts and footprints do not see them.
  void set_extra(const std::string& name, at::Tensor value);
  void clear_extras() { extras_.clear(); }
  const std::vector<std::pair<std::string, at::Tensor>>& extras() const { return extras_; }

  template <class M>
  std::shared_ptr<M> add_child(const std::string& name, std::shared_ptr<M> child) {
    set_child(name, child);
    return child;
  }
  void set_child(const std::string& name, std::shared_ptr<Module> child);
  Module* child(const std::string& name) const;
  std::shared_ptr<Module> child_ptr(const std::string& name) const;

  const std::vector<std::pair<std::string, Param>>& own_params() const { return params_; }
  const std::vector<std::pair<std::string, BufferSlot>>& own_buffers() const { return buffers_; }
  const std::vector<std::pair<std::string, std::shared_ptr<Module>>>& children() const { return children_; }

  /// Pre-order walk ("" for this module, dotted paths below), modules once each.
  void named_modules(const std::function<void(const std::string&, Module&)>& fn,
                     const std::string& prefix = "");
  /// Parameters in PyTorch's order; a slot reachable under two names is
  /// reported once (first name) unless remove_duplicate is false.
  std::vector<std::pair<std::string, Param>> named_parameters(bool remove_duplicate = true);
  /// Buffers in PyTorch's order (persistent and not).
  std::vector<std::pair<std::string, BufferSlot*>> named_buffers();
  /// The state dict: per module its parameters then persistent buffers, then
  /// children; tied names all appear (as in PyTorch).
  std::vector<std::pair<std::string, at::Tensor>> state_dict();
  /// Finds a parameter or buffer by dotted name; nullptr if none.
  at::Tensor* find_tensor(const std::string& dotted);
  /// An extra state-dict entry by dotted name; nullptr if none.
  at::Tensor* find_extra(const std::string& dotted);
  Param find_param(const std::string& dotted);
  Module* find_module(const std::string& dotted);

  /// Children transformers has and Lathe does not build (see TensorlessChild).
  void declare_tensorless(TensorlessChild c) { tensorless_.push_back(std::move(c)); }
  const std::vector<TensorlessChild>& tensorless_children() const { return tensorless_; }

  /// The attached hook (nullptr: none); set_hook(nullptr) removes it.
  ModuleHook* hook() const { return hook_.get(); }
  void set_hook(std::shared_ptr<ModuleHook> h) { hook_ = std::move(h); }

 private:
  std::string type_name_;
  std::shared_ptr<ModuleHook> hook_;
  std::vector<std::pair<std::string, Param>> params_;
  std::vector<std::pair<std::string, BufferSlot>> buffers_;
  std::vector<std::pair<std::string, at::Tensor>> extras_;
  std::vector<std::pair<std::string, std::shared_ptr<Module>>> children_;
  std::vector<TensorlessChild> tensorless_;
};

/// Observers of module forward calls (the C++ side of register_forward_hook):
/// installed per thread; every module forward opens a ForwardScope.
class ForwardHooks {
 public:
  virtual ~ForwardHooks() = default;
  virtual void pre(const Module& m) = 0;
  virtual void post(const Module& m) = 0;
};

/// The hooks of the calling thread (nullptr: none).
ForwardHooks*& thread_forward_hooks();

/// Records the module whose forward threw first (runtime/torch_errors.h), so an
/// error names it.
void note_failed_forward(const Module& m);

/// Marks one module's forward: pre() on entry, post() on exit (also when the
/// forward throws), and the module's own hook inside them. Costs a
/// thread-local read and a member read when no hooks are installed.
class ForwardScope {
 public:
  explicit ForwardScope(const Module& m)
      : m_(m), hooks_(thread_forward_hooks()), uncaught_(std::uncaught_exceptions()) {
    if (hooks_) hooks_->pre(m_);
    if (ModuleHook* h = m_.hook()) {
      try {
        h->pre_forward(m_);
      } catch (...) {
        if (hooks_) hooks_->post(m_);
        throw;
      }
    }
  }
  ~ForwardScope() {
    if (std::uncaught_exceptions() > uncaught_) note_failed_forward(m_);
    if (ModuleHook* h = m_.hook()) h->post_forward(m_);
    if (hooks_) hooks_->post(m_);
  }
  ForwardScope(const ForwardScope&) = delete;
  ForwardScope& operator=(const ForwardScope&) = delete;

 private:
  const Module& m_;
  ForwardHooks* hooks_;
  int uncaught_;
};

/// Installs hooks on this thread for the guard's lifetime.
class ForwardHooksGuard {
 public:
  explicit ForwardHooksGuard(ForwardHooks* h) : prev_(thread_forward_hooks()) { thread_forward_hooks() = h; }
  ~ForwardHooksGuard() { thread_forward_hooks() = prev_; }
  ForwardHooksGuard(const ForwardHooksGuard&) = delete;
  ForwardHooksGuard& operator=(const ForwardHooksGuard&) = delete;

 private:
  ForwardHooks* prev_;
};

/// The device a skeleton is built on (shapes only) vs. materialised.
at::TensorOptions meta_options(c10::ScalarType dtype);

}  // namespace lathe::nn
