#include "models/dispatch.h"

#include "core/error.h"
#include "core/file_util.h"
#include "core/json_util.h"
#include "io/safetensors.h"
#include "io/torch_dtype.h"
#include "models/device_map_modes.h"
#include "planning/model_tree_internal.h"

#include <set>
#include <unordered_set>

namespace lathe::models {

std::string device_of(const std::vector<std::pair<std::string, std::string>>& map, const std::string& name) {
  const std::string* best = nullptr;
  std::size_t best_len = 0;
  for (const auto& [k, dev] : map) {
    bool covers = k.empty() || name == k || (name.size() > k.size() && name.compare(0, k.size(), k) == 0 && name[k.size()] == '.');
    if (covers && (!best || k.size() >= best_len)) {
      best = &dev;
      best_len = k.size();
    }
  }
  return best ? *best : std::string();
}

std::vector<std::pair<std::string, std::string>> parse_device_map_json(const std::string& text) {
  auto j = parse_json(text, "device_map", static_cast<int>(ErrorCode::InvalidArgument));
  if (!j.is_object()) throw Error(ErrorCode::InvalidArgument, "a device map must be a JSON object of module → device", "device_map");
  std::vector<std::pair<std::string, std::string>> out;
  for (auto it = j.begin(); it != j.end(); ++it) {
    const auto& v = it.value();
    if (v.is_number_integer() && v.get<std::int64_t>() >= 0) out.emplace_back(it.key(), std::to_string(v.get<std::int64_t>()));
    else if (v.is_string()) out.emplace_back(it.key(), v.get<std::string>());
    else throw Error(ErrorCode::InvalidArgument, "device of '" + it.key() + "' must be a GPU index, \"cpu\" or \"disk\"", "device_map");
  }
  if (out.empty()) throw Error(ErrorCode::InvalidArgument, "the device map is empty", "device_map");
  return out;
}

namespace {

bool is_gpu(const std::string& dev) {
  if (dev.empty()) return false;
  if (dev.find_first_not_of("0123456789") == std::string::npos) return true;
  return dev == "cuda" || dev.rfind("cuda:", 0) == 0 || dev == "mps";
}

// Checks devices and coverage (accelerate's check_device_map), with errors
// instead of KeyErrors.
void validate(PreTrainedModel& m, const std::vector<std::pair<std::string, std::string>>& map) {
  std::unordered_set<std::string> names;
  m.named_modules([&](const std::string& n, nn::Module&) { names.insert(n); });
  std::vector<std::string> tensors;
  for (const auto& [n, p] : m.named_parameters(false)) tensors.push_back(n);
  for (const auto& [n, b] : m.named_buffers()) tensors.push_back(n);
  names.insert(tensors.begin(), tensors.end());
  // Modules transformers has and Lathe's tree leaves out (dropouts, rotary_emb):
  // maps may name them; they hold nothing.
  for (const auto& mod : planning::module_tree_of(m).modules) names.insert(mod.name);
  for (const auto& [k, dev] : map) {
    if (is_gpu(dev))
      throw Error(ErrorCode::Unsupported,
                  "the device map places '" + k + "' on " + (dev == "mps" ? "mps" : "GPU " + dev) +
                      ", but this build runs on the CPU only (no CUDA device); use \"cpu\" or \"disk\"",
                  "device_map");
    if (dev != "cpu" && dev != "disk")
      throw Error(ErrorCode::InvalidArgument, "unknown device '" + dev + "' for '" + k + "'", "device_map");
    if (!names.count(k)) throw Error(ErrorCode::InvalidArgument, "the device map names '" + k + "', which is not in the model", "device_map");
  }
  std::vector<std::string> uncovered;
  for (const auto& t : tensors)
    if (device_of(map, t).empty()) uncovered.push_back(t);
  if (!uncovered.empty()) {
    std::string list;
    for (std::size_t i = 0; i < uncovered.size() && i < 5; ++i) list += (i ? ", " : "") + uncovered[i];
    if (uncovered.size() > 5) list += ", ... (" + std::to_string(uncovered.size()) + " in all)";
    throw Error(ErrorCode::InvalidArgument, "the device map gives no device for: " + list, "device_map");
  }
}

struct SourceLoc {
  std::string file;
  std::uint64_t offset;
  DType dtype;
  std::vector<std::int64_t> shape;
};

}  // namespace

struct Dispatcher::Impl {
  DispatchOptions opts;
  c10::ScalarType dtype;
  bool safetensors = false;
  DispatchInfo info;
  std::unordered_map<std::string, at::Tensor*> key_slot;   // model key → offloaded slot
  std::unordered_map<const at::Tensor*, std::string> slot_name;  // slot → the name its entry is stored under
  std::unordered_set<const at::Tensor*> taken;              // slots whose bytes were located
  std::unordered_map<std::string, SourceLoc> source;       // checkpoint key → bytes (safetensors)
  OffloadedWeights weights;
  std::unique_ptr<OffloadFolderWriter> writer;
};

Dispatcher::Dispatcher(PreTrainedModel& m, const CheckpointFiles& files, c10::ScalarType dtype,
                       const DispatchOptions& opts)
    : impl_(std::make_unique<Impl>()) {
  Impl& d = *impl_;
  d.opts = opts;
  d.dtype = dtype;
  d.safetensors = files.format == WeightFormat::Safetensors;
  const std::string& spec = opts.device_map;
  if (spec.find('{') != std::string::npos) {
    d.info.device_map = parse_device_map_json(spec);
  } else {
    PlannedMap p = plan_device_map_for(m, spec, opts.max_memory, opts.offload_buffers);
    d.info.device_map = std::move(p.device_map);
    d.info.warnings = std::move(p.warnings);
  }
  validate(m, d.info.device_map);

  // A parameter slot stays on disk when every name it has maps to disk; a tied
  // group split between cpu and disk stays in memory (a warning, as accelerate).
  std::unordered_map<const nn::ParamSlot*, std::vector<std::string>> names;
  std::vector<std::pair<nn::Param, std::string>> order;
  for (const auto& [n, p] : m.named_parameters(false)) {
    auto [it, fresh] = names.try_emplace(p.get());
    if (fresh) order.emplace_back(p, n);
    it->second.push_back(n);
  }
  for (const auto& [p, first] : order) {
    std::set<std::string> devs;
    for (const auto& n : names[p.get()]) devs.insert(device_of(d.info.device_map, n));
    if (devs.size() > 1)
      d.info.warnings.push_back("tied parameters " + first + " are mapped to different devices; kept in memory");
    if (devs.size() != 1 || *devs.begin() != "disk") continue;
    for (const auto& n : names[p.get()]) d.key_slot[n] = &p->value;
    d.slot_name[&p->value] = first;
  }
  if (opts.offload_buffers)
    for (const auto& [n, b] : m.named_buffers())
      if (b->persistent && device_of(d.info.device_map, n) == "disk") {
        d.key_slot[n] = &b->value;
        d.slot_name[&b->value] = n;
      }
  if (d.key_slot.empty()) return;
  if (d.safetensors) {
    for (const auto& f : files.weight_files) {
      std::string full = path_join(files.dir, f);
      SafetensorsHeader h = read_safetensors_header(full);
      for (const auto& t : h.tensors) d.source[t.name] = {full, h.data_start() + t.data_begin, t.dtype, t.shape};
    }
  } else {
    if (opts.offload_folder.empty())
      throw Error(ErrorCode::InvalidArgument,
                  "The current `device_map` had weights offloaded to the disk. Please provide an `offload_folder` "
                  "for them (a .bin checkpoint cannot be read in place; safetensors can)",
                  files.dir);
    d.writer = std::make_unique<OffloadFolderWriter>(opts.offload_folder);
    d.info.offload_folder = opts.offload_folder;
  }
}

Dispatcher::~Dispatcher() = default;

bool Dispatcher::take(const std::string& ckpt_key, const std::string& model_key, const at::Tensor& tensor,
                      const std::string&) {
  Impl& d = *impl_;
  auto it = d.key_slot.find(model_key);
  if (it == d.key_slot.end()) return false;
  at::Tensor* slot = it->second;
  const std::string& name = d.slot_name.at(slot);
  OffloadEntry e;
  if (d.writer) {
    // accelerate's offload_weight stores the tensor already cast to the model dtype.
    at::Tensor t = at::isFloatingType(tensor.scalar_type()) && tensor.scalar_type() != d.dtype ? tensor.to(d.dtype) : tensor;
    e = d.writer->add(name, t);
  } else {
    auto s = d.source.find(ckpt_key);
    if (s == d.source.end()) return false;
    e.file = s->second.file;
    e.offset = s->second.offset;
    e.stored = s->second.dtype;
    e.shape = s->second.shape;
    bool raw = false;
    c10::ScalarType st = to_scalar_type(e.stored, &raw);
    e.target = dtype_is_floating(e.stored) && !raw ? d.dtype : st;
  }
  d.weights.add(name, std::move(e));  // a later key for the same slot wins, as in memory
  d.taken.insert(slot);
  return true;
}

bool Dispatcher::offloaded(const at::Tensor* slot) const { return impl_->taken.count(slot) > 0; }

DispatchInfo Dispatcher::finish(PreTrainedModel& m) {
  Impl& d = *impl_;
  if (d.writer) d.writer->commit();
  auto state = std::make_shared<OffloadState>(std::move(d.weights));
  for (const at::Tensor* slot : d.taken) {
    auto* s = const_cast<at::Tensor*>(slot);
    state->track(s, state->weights().find(d.slot_name.at(slot)));
  }
  std::unordered_set<const void*> seen;
  auto count = [&](const at::Tensor& t, bool offloaded) {
    if (offloaded) {
      d.info.offloaded_bytes += t.nbytes();
      d.info.offloaded_tensors++;
    } else if (t.defined() && !t.is_meta() && seen.insert(t.data_ptr()).second) {
      d.info.resident_bytes += t.nbytes();
    }
  };
  for (auto& [n, p] : m.named_parameters()) count(p->value, state->tracked(&p->value));
  for (auto& [n, b] : m.named_buffers()) count(b->value, state->tracked(&b->value));
  if (d.taken.empty()) return d.info;
  // attach_align_device_hook: a hook on every module that directly owns an offloaded tensor.
  m.named_modules([&](const std::string&, nn::Module& mod) {
    std::vector<at::Tensor*> mine;
    for (const auto& [n, p] : mod.own_params())
      if (p && state->tracked(&p->value)) mine.push_back(&p->value);
    for (const auto& [n, b] : mod.own_buffers())
      if (state->tracked(&b.value)) mine.push_back(const_cast<at::Tensor*>(&b.value));
    if (!mine.empty()) mod.set_hook(std::make_shared<AlignDevicesHook>(state, std::move(mine)));
  });
  return d.info;
}

const OffloadState* offload_state_of(PreTrainedModel& model) {
  const OffloadState* found = nullptr;
  model.named_modules([&](const std::string&, nn::Module& m) {
    if (auto* h = dynamic_cast<AlignDevicesHook*>(m.hook()); h && !found) found = h->state().get();
  });
  return found;
}

bool is_dispatched(PreTrainedModel& model) { return offload_state_of(model) != nullptr; }

}  // namespace lathe::models
