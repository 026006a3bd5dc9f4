#include "nn/module.h"

#include "runtime/torch_errors.h"

#include <unordered_set>

namespace lathe::nn {

Param Module::add_param(const std::string& name, at::Tensor value, bool requires_grad) {
  for (auto& [n, p] : params_)
    if (n == name) {
      p->value = std::move(value);
      p->requires_grad = requires_grad;
      return p;
    }
  auto slot = std::make_shared<ParamSlot>(ParamSlot{std::move(value), requires_grad});
  params_.emplace_back(name, slot);
  return slot;
}

void Module::set_param(const std::string& name, Param slot) {
  for (auto& [n, p] : params_)
    if (n == name) {
      p = std::move(slot);
      return;
    }
  params_.emplace_back(name, std::move(slot));
}

Param Module::param(const std::string& name) const {
  for (const auto& [n, p] : params_)
    if (n == name) return p;
  return nullptr;
}

void Module::remove_param(const std::string& name) {
  for (auto it = params_.begin(); it != params_.end(); ++it)
    if (it->first == name) {
      params_.erase(it);
      return;
    }
}

void Module::add_buffer(const std::string& name, at::Tensor value, bool persistent) {
  for (auto& [n, b] : buffers_)
    if (n == name) {
      b.value = std::move(value);
      b.persistent = persistent;
      return;
    }
  buffers_.emplace_back(name, BufferSlot{std::move(value), persistent});
}

BufferSlot* Module::buffer(const std::string& name) {
  for (auto& [n, b] : buffers_)
    if (n == name) return &b;
  return nullptr;
}

void Module::set_extra(const std::string& name, at::Tensor value) {
  for (auto& [n, t] : extras_)
    if (n == name) {
      t = std::move(value);
      return;
    }
  extras_.emplace_back(name, std::move(value));
}

void Module::set_child(const std::string& name, std::shared_ptr<Module> child) {
  for (auto& [n, c] : children_)
    if (n == name) {
      c = std::move(child);
      return;
    }
  children_.emplace_back(name, std::move(child));
}

Module* Module::child(const std::string& name) const {
  for (const auto& [n, c] : children_)
    if (n == name) return c.get();
  return nullptr;
}

std::shared_ptr<Module> Module::child_ptr(const std::string& name) const {
  for (const auto& [n, c] : children_)
    if (n == name) return c;
  return nullptr;
}

namespace {
std::string join(const std::string& prefix, const std::string& name) {
  return prefix.empty() ? name : prefix + "." + name;
}
}  // namespace

void Module::named_modules(const std::function<void(const std::string&, Module&)>& fn,
                           const std::string& prefix) {
  std::unordered_set<const Module*> seen;
  std::function<void(const std::string&, Module&)> walk = [&](const std::string& p, Module& m) {
    if (!seen.insert(&m).second) return;
    fn(p, m);
    for (auto& [n, c] : m.children_)
      if (c) walk(join(p, n), *c);
  };
  walk(prefix, *this);
}

std::vector<std::pair<std::string, Param>> Module::named_parameters(bool remove_duplicate) {
  std::vector<std::pair<std::string, Param>> out;
  std::unordered_set<const ParamSlot*> seen;
  named_modules([&](const std::string& p, Module& m) {
    for (auto& [n, slot] : m.params_) {
      if (!slot) continue;
      if (remove_duplicate && !seen.insert(slot.get()).second) continue;
      out.emplace_back(join(p, n), slot);
    }
  });
  return out;
}

std::vector<std::pair<std::string, BufferSlot*>> Module::named_buffers() {
  std::vector<std::pair<std::string, BufferSlot*>> out;
  named_modules([&](const std::string& p, Module& m) {
    for (auto& [n, b] : m.buffers_)
      if (b.value.defined()) out.emplace_back(join(p, n), &b);
  });
  return out;
}

std::vector<std::pair<std::string, at::Tensor>> Module::state_dict() {
  std::vector<std::pair<std::string, at::Tensor>> out;
  // state_dict recurses without de-duplicating modules or slots.
  std::function<void(const std::string&, Module&)> walk = [&](const std::string& p, Module& m) {
    for (auto& [n, slot] : m.params_)
      if (slot) out.emplace_back(join(p, n), slot->value);
    for (auto& [n, b] : m.buffers_)
      if (b.persistent && b.value.defined()) out.emplace_back(join(p, n), b.value);
    for (auto& [n, t] : m.extras_) out.emplace_back(join(p, n), t);
    for (auto& [n, c] : m.children_)
      if (c) walk(join(p, n), *c);
  };
  walk("", *this);
  return out;
}

Module* Module::find_module(const std::string& dotted) {
  Module* m = this;
  std::size_t start = 0;
  while (m && start < dotted.size()) {
    std::size_t dot = dotted.find('.', start);
    std::string part = dotted.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    m = m->child(part);
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  return m;
}

Param Module::find_param(const std::string& dotted) {
  auto dot = dotted.rfind('.');
  Module* owner = dot == std::string::npos ? this : find_module(dotted.substr(0, dot));
  return owner ? owner->param(dot == std::string::npos ? dotted : dotted.substr(dot + 1)) : nullptr;
}

at::Tensor* Module::find_tensor(const std::string& dotted) {
  auto dot = dotted.rfind('.');
  Module* owner = dot == std::string::npos ? this : find_module(dotted.substr(0, dot));
  if (!owner) return find_extra(dotted);
  std::string leaf = dot == std::string::npos ? dotted : dotted.substr(dot + 1);
  if (Param p = owner->param(leaf)) return &p->value;
  if (BufferSlot* b = owner->buffer(leaf)) return &b->value;
  return find_extra(dotted);
}

at::Tensor* Module::find_extra(const std::string& dotted) {
  // Extra names may hold dots ("weight.absmax"): try every module prefix.
  auto in = [](Module* owner, const std::string& leaf) -> at::Tensor* {
    if (owner)
      for (auto& [n, t] : owner->extras_)
        if (n == leaf) return &t;
    return nullptr;
  };
  for (std::size_t dot = dotted.find('.'); dot != std::string::npos; dot = dotted.find('.', dot + 1))
    if (at::Tensor* t = in(find_module(dotted.substr(0, dot)), dotted.substr(dot + 1))) return t;
  return in(this, dotted);
}

ForwardHooks*& thread_forward_hooks() {
  thread_local ForwardHooks* hooks = nullptr;
  return hooks;
}

at::TensorOptions meta_options(c10::ScalarType dtype) {
  return at::TensorOptions().dtype(dtype).device(c10::DeviceType::Meta);
}

void note_failed_forward(const Module& m) { note_failed_module(m.type_name()); }

}  // namespace lathe::nn
