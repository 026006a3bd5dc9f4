// Module-size tree parsing and compute_module_sizes (accelerate 1.2.1 semantics).
#include "planning/module_tree.h"

#include "core/error.h"
#include "core/json_util.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <unordered_set>

namespace lathe::planning {

namespace {

using Json = nlohmann::ordered_json;  // keeps the order of params/buffers as written

std::string strip_torch(const std::string& d) { return d.rfind("torch.", 0) == 0 ? d.substr(6) : d; }

std::string join(const std::string& prefix, const std::string& local) {
  return prefix.empty() ? local : prefix + "." + local;
}

void parse_tensors(const Json& j, const std::string& prefix, std::vector<TensorInfo>& out,
                   const char* what) {
  if (j.is_null()) return;
  if (!j.is_object()) throw Error(ErrorCode::ConfigInvalid, std::string(what) + " must be an object", prefix);
  for (auto it = j.begin(); it != j.end(); ++it) {
    const auto& v = it.value();
    std::string full = join(prefix, it.key());
    if (it.key().empty() || it.key().find('.') != std::string::npos)
      throw Error(ErrorCode::ConfigInvalid, "tensor names must be non-empty and dot-free", full);
    if (!v.is_object() || !v.contains("shape") || !v["shape"].is_array())
      throw Error(ErrorCode::ConfigInvalid, "tensor needs a \"shape\" array", full);
    TensorInfo t;
    t.name = full;
    for (const auto& d : v["shape"]) {
      if (!d.is_number_integer() || d.get<std::int64_t>() < 0)
        throw Error(ErrorCode::ConfigInvalid, "shape entries must be non-negative integers", full);
      t.shape.push_back(d.get<std::int64_t>());
    }
    auto dt = v.find("dtype");
    if (dt != v.end() && !dt->is_string()) throw Error(ErrorCode::ConfigInvalid, "dtype must be a string", full);
    t.dtype = strip_torch(dt == v.end() ? std::string("float32") : dt->get<std::string>());
    dtype_bytes(t.dtype);  // validates
    out.push_back(std::move(t));
  }
}

void parse_module(const Json& j, const std::string& full, ModuleTree& tree, int depth) {
  if (depth > 256) throw Error(ErrorCode::ConfigInvalid, "module tree nested too deeply", full);
  if (!j.is_object()) throw Error(ErrorCode::ConfigInvalid, "a module must be a JSON object", full);
  int idx = static_cast<int>(tree.modules.size());
  if (!tree.index.emplace(full, idx).second) throw Error(ErrorCode::ConfigInvalid, "duplicate module name", full);
  tree.modules.emplace_back();
  {
    Module& m = tree.modules.back();
    m.name = full;
    auto c = j.find("class");
    if (c != j.end() && !c->is_string()) throw Error(ErrorCode::ConfigInvalid, "class must be a string", full);
    m.cls = c == j.end() ? std::string("Module") : c->get<std::string>();
  }
  std::vector<TensorInfo> params, buffers;
  parse_tensors(j.value("params", Json()), full, params, "params");
  parse_tensors(j.value("buffers", Json()), full, buffers, "buffers");
  tree.modules[idx].params = std::move(params);
  tree.modules[idx].buffers = std::move(buffers);
  auto ch = j.find("children");
  if (ch == j.end() || ch->is_null()) return;
  if (!ch->is_array()) throw Error(ErrorCode::ConfigInvalid, "children must be an array", full);
  for (const auto& c : *ch) {
    if (!c.is_object() || !c.contains("name") || !c["name"].is_string())
      throw Error(ErrorCode::ConfigInvalid, "every child needs a string \"name\"", full);
    std::string local = c["name"].get<std::string>();
    if (local.empty() || local.find('.') != std::string::npos)
      throw Error(ErrorCode::ConfigInvalid, "child names must be non-empty and dot-free", join(full, local));
    std::string child = join(full, local);
    tree.modules[idx].children.push_back(static_cast<int>(tree.modules.size()));
    parse_module(c, child, tree, depth + 1);
  }
}

std::vector<std::string> string_list(const Json& j, const char* what) {
  std::vector<std::string> out;
  if (j.is_null()) return out;
  if (!j.is_array()) throw Error(ErrorCode::ConfigInvalid, std::string(what) + " must be an array of strings");
  for (const auto& s : j) {
    if (!s.is_string()) throw Error(ErrorCode::ConfigInvalid, std::string(what) + " must be an array of strings");
    out.push_back(s.get<std::string>());
  }
  return out;
}

void parse_sizing(const Json& j, Sizing& out) {
  if (!j.is_object()) throw Error(ErrorCode::ConfigInvalid, "sizing must be an object");
  auto str = [&](const char* k) {
    auto it = j.find(k);
    if (it == j.end() || it->is_null()) return std::string();
    if (!it->is_string()) throw Error(ErrorCode::ConfigInvalid, std::string("sizing.") + k + " must be a string");
    return it->get<std::string>();
  };
  out.dtype = strip_torch(str("dtype"));
  if (!out.dtype.empty()) dtype_bytes(out.dtype);
  out.quantize = str("quantize");
  out.auto_unsupported = str("auto_unsupported");
  if (auto f = j.find("max_memory_factor"); f != j.end()) {
    if (!f->is_number() || !(f->get<double>() > 0)) throw Error(ErrorCode::ConfigInvalid, "sizing.max_memory_factor must be > 0");
    out.max_memory_factor = f->get<double>();
  }
  if (auto sp = j.find("special_dtypes"); sp != j.end() && !sp->is_null()) {
    if (!sp->is_object()) throw Error(ErrorCode::ConfigInvalid, "sizing.special_dtypes must be an object");
    for (auto it = sp->begin(); it != sp->end(); ++it) {
      if (!it->is_string()) throw Error(ErrorCode::ConfigInvalid, "special dtypes must be strings", it.key());
      dtype_bytes(it->get<std::string>());
      out.special_dtypes[it.key()] = strip_torch(it->get<std::string>());
    }
  }
  out.untied_when_balancing = string_list(j.value("untied_when_balancing", Json()), "untied_when_balancing");
  out.modules_to_not_convert = string_list(j.value("modules_to_not_convert", Json()), "modules_to_not_convert");
}

nlohmann::ordered_json tensors_json(const std::vector<TensorInfo>& ts) {
  nlohmann::ordered_json o = nlohmann::ordered_json::object();
  for (const auto& t : ts) {
    auto dot = t.name.rfind('.');
    o[dot == std::string::npos ? t.name : t.name.substr(dot + 1)] = {{"shape", t.shape}, {"dtype", t.dtype}};
  }
  return o;
}

nlohmann::ordered_json module_json(const ModuleTree& tree, int idx) {
  const Module& m = tree.modules[idx];
  nlohmann::ordered_json j;
  auto dot = m.name.rfind('.');
  j["name"] = dot == std::string::npos ? m.name : m.name.substr(dot + 1);
  j["class"] = m.cls;
  if (!m.params.empty()) j["params"] = tensors_json(m.params);
  if (!m.buffers.empty()) j["buffers"] = tensors_json(m.buffers);
  if (!m.children.empty()) {
    auto& ch = j["children"] = nlohmann::ordered_json::array();
    for (int c : m.children) ch.push_back(module_json(tree, c));
  }
  return j;
}

}  // namespace

nlohmann::ordered_json module_tree_json(const ModuleTree& tree) {
  if (tree.modules.empty()) return nlohmann::ordered_json::object();
  nlohmann::ordered_json j = module_json(tree, 0);
  j["no_split"] = tree.no_split;
  j["tied"] = tree.tied;
  if (!tree.output_embeddings.empty()) j["output_embeddings"] = tree.output_embeddings;
  const Sizing& s = tree.sizing;
  nlohmann::ordered_json sz = nlohmann::ordered_json::object();
  if (!s.dtype.empty()) sz["dtype"] = s.dtype;
  if (!s.special_dtypes.empty()) {
    std::map<std::string, std::string> sorted(s.special_dtypes.begin(), s.special_dtypes.end());
    sz["special_dtypes"] = sorted;
  }
  if (s.max_memory_factor != 1.0) sz["max_memory_factor"] = s.max_memory_factor;
  if (!s.untied_when_balancing.empty()) sz["untied_when_balancing"] = s.untied_when_balancing;
  if (!s.auto_unsupported.empty()) sz["auto_unsupported"] = s.auto_unsupported;
  if (!s.quantize.empty()) sz["quantize"] = s.quantize;
  if (!s.modules_to_not_convert.empty()) sz["modules_to_not_convert"] = s.modules_to_not_convert;
  if (!sz.empty()) j["sizing"] = sz;
  return j;
}

double TensorInfo::numel() const {
  double n = 1;
  for (auto d : shape) n *= static_cast<double>(d);
  return n;
}

double dtype_bytes(const std::string& dtype_in) {
  std::string d = strip_torch(dtype_in);
  if (d == "bool") return 0.125;
  // "int4" is accelerate's CustomDtype.INT4 (a sizing target of 4-bit BnB): 4 / 8 = 0.5 byte.
  static const char* known[] = {"float16", "bfloat16", "float32", "float64", "int4", "int8", "int16", "int32",
                                "int64", "uint8", "uint16", "uint32", "uint64", "float8_e4m3fn", "float8_e5m2"};
  if (std::find(std::begin(known), std::end(known), d) == std::end(known)) {
    if (d == "half") return 2;
    if (d == "float") return 4;
    if (d == "double") return 8;
    throw Error(ErrorCode::InvalidArgument, "unknown dtype '" + dtype_in + "'");
  }
  if (d.rfind("float8", 0) == 0) return 1;
  std::size_t e = d.size();
  while (e > 0 && std::isdigit(static_cast<unsigned char>(d[e - 1]))) --e;
  return std::stoi(d.substr(e)) / 8.0;
}

double tensor_size(const TensorInfo& t, const std::string& dtype) {
  double own = dtype_bytes(t.dtype);
  if (dtype.empty() || t.dtype.rfind("uint", 0) == 0 || t.dtype.rfind("int", 0) == 0 || t.dtype == "bool")
    return t.numel() * own;
  return t.numel() * std::min(dtype_bytes(dtype), own);
}

ModuleTree parse_module_tree(const nlohmann::ordered_json& j) {
  if (!j.is_object()) throw Error(ErrorCode::ConfigInvalid, "the module tree must be a JSON object");
  ModuleTree tree;
  if (j.contains("name") && !(j["name"].is_string() && j["name"].get<std::string>().empty()))
    throw Error(ErrorCode::ConfigInvalid, "the root module's name must be \"\"");
  parse_module(j, "", tree, 0);
  tree.no_split = string_list(j.value("no_split", Json()), "no_split");
  if (auto oe = j.find("output_embeddings"); oe != j.end() && !oe->is_null()) {
    if (!oe->is_string() || !tree.index.count(oe->get<std::string>()))
      throw Error(ErrorCode::ConfigInvalid, "output_embeddings must name a module of the tree");
    tree.output_embeddings = oe->get<std::string>();
  }
  if (auto sz = j.find("sizing"); sz != j.end() && !sz->is_null()) parse_sizing(*sz, tree.sizing);
  std::unordered_set<std::string> params;
  for (const auto& m : tree.modules)
    for (const auto& p : m.params) params.insert(p.name);
  auto tied = j.value("tied", Json());
  if (!tied.is_null() && !tied.is_array()) throw Error(ErrorCode::ConfigInvalid, "tied must be an array of arrays");
  if (tied.is_array())
    for (const auto& g : tied) {
      auto group = string_list(g, "tied group");
      if (group.size() < 2) throw Error(ErrorCode::ConfigInvalid, "a tied group needs at least two names");
      for (const auto& n : group)
        if (!params.count(n)) throw Error(ErrorCode::ConfigInvalid, "tied name is not a parameter of the tree", n);
      std::sort(group.begin(), group.end());
      tree.tied.push_back(std::move(group));
    }
  return tree;
}

ModuleTree parse_module_tree(const nlohmann::json& j) { return parse_module_tree(nlohmann::ordered_json::parse(j.dump())); }

ModuleTree parse_module_tree_text(std::string_view text) {
  return parse_module_tree(parse_json(text, "module tree", static_cast<int>(ErrorCode::ConfigInvalid)));
}

ModuleSizes compute_module_sizes(const ModuleTree& tree, const std::string& dtype, bool untied) {
  if (!dtype.empty()) dtype_bytes(dtype);
  ModuleSizes s;
  // A tied parameter is one tensor: counted once, under its first name in pre-order.
  std::unordered_set<std::string> skip;
  if (!tree.tied.empty()) {
    std::unordered_map<std::string, std::size_t> group_of;
    for (std::size_t g = 0; g < tree.tied.size(); ++g)
      for (const auto& n : tree.tied[g]) group_of[n] = g;
    if (untied)
      for (const auto& n : tree.sizing.untied_when_balancing) group_of.erase(n);
    std::vector<bool> seen(tree.tied.size(), false);
    for (const auto& m : tree.modules)
      for (const auto& p : m.params) {
        auto it = group_of.find(p.name);
        if (it == group_of.end()) continue;
        if (seen[it->second]) skip.insert(p.name);
        seen[it->second] = true;
      }
  }
  auto add = [&](const std::string& name, double bytes) {
    std::size_t pos = 0;
    auto bump = [&](const std::string& key) {
      auto [it, fresh] = s.size.emplace(key, 0.0);
      if (fresh) s.order.push_back(key);
      it->second += bytes;
    };
    bump("");
    while ((pos = name.find('.', pos)) != std::string::npos) bump(name.substr(0, pos++));
    bump(name);
  };
  const auto& special = tree.sizing.special_dtypes;
  for (const auto& m : tree.modules)
    for (const auto& p : m.params) {
      if (skip.count(p.name)) continue;
      auto sp = special.empty() ? special.end() : special.find(p.name);
      add(p.name, sp == special.end() ? tensor_size(p, dtype) : p.numel() * dtype_bytes(sp->second));
    }
  for (const auto& m : tree.modules)
    for (const auto& b : m.buffers) add(b.name, tensor_size(b, dtype));
  // compute_module_total_buffer_size per module (recursive), children after parents in pre-order.
  for (auto i = tree.modules.size(); i-- > 0;) {
    const Module& m = tree.modules[i];
    double total = 0;
    for (const auto& b : m.buffers) total += tensor_size(b, dtype);
    for (int c : m.children) total += s.buffer_total[tree.modules[c].name];
    s.buffer_total[m.name] = total;
  }
  return s;
}

}  // namespace lathe::planning
