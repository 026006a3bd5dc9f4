#include "io/safetensors.h"

#include "core/error.h"
#include "core/file_util.h"
#include "core/json_util.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <unordered_set>

namespace lathe {
namespace {

[[noreturn]] void corrupt(const std::string& what, const std::string& context) {
  throw Error(ErrorCode::CorruptFile, "invalid safetensors header: " + what, context);
}

bool mul_overflows(std::uint64_t a, std::uint64_t b, std::uint64_t* out) {
  return __builtin_mul_overflow(a, b, out);
}

TensorInfo parse_entry(const std::string& name, const nlohmann::json& v,
                       const std::string& context, const std::string& file_name) {
  if (!v.is_object()) corrupt("entry '" + name + "' is not an object", context);
  auto dt = v.find("dtype");
  auto sh = v.find("shape");
  auto off = v.find("data_offsets");
  if (dt == v.end() || sh == v.end() || off == v.end())
    corrupt("entry '" + name + "' lacks dtype, shape or data_offsets", context);
  if (!dt->is_string()) corrupt("dtype of '" + name + "' is not a string", context);
  auto dtype = dtype_from_code(dt->get_ref<const std::string&>());
  if (!dtype) corrupt("unknown dtype '" + dt->get<std::string>() + "' for '" + name + "'", context);

  TensorInfo t;
  t.name = name;
  t.dtype = *dtype;
  t.file = file_name;
  if (!sh->is_array()) corrupt("shape of '" + name + "' is not a list", context);
  std::uint64_t numel = 1;
  for (const auto& d : *sh) {
    if (!d.is_number_unsigned()) corrupt("shape of '" + name + "' has a non-integer or negative dimension", context);
    std::uint64_t dim = d.get<std::uint64_t>();
    if (dim > static_cast<std::uint64_t>(INT64_MAX) || mul_overflows(numel, dim, &numel))
      corrupt("shape of '" + name + "' overflows", context);
    t.shape.push_back(static_cast<std::int64_t>(dim));
  }
  if (mul_overflows(numel, dtype_size(t.dtype), &t.nbytes) || numel > static_cast<std::uint64_t>(INT64_MAX))
    corrupt("byte size of '" + name + "' overflows", context);
  if (!off->is_array() || off->size() != 2 || !(*off)[0].is_number_unsigned() ||
      !(*off)[1].is_number_unsigned())
    corrupt("data_offsets of '" + name + "' are not two non-negative integers", context);
  t.data_begin = (*off)[0].get<std::uint64_t>();
  t.data_end = (*off)[1].get<std::uint64_t>();
  return t;
}

}  // namespace

SafetensorsHeader parse_safetensors_header(const std::uint8_t* header, std::size_t n,
                                           std::uint64_t file_size, const std::string& context,
                                           const std::string& file_name) {
  if (n > kSafetensorsMaxHeader) corrupt("header larger than 100 MB", context);
  if (n == 0 || header[0] != '{') corrupt("header is not a JSON object", context);

  // Duplicate names would let two entries claim one region; the reference
  // reader keeps one silently. We refuse them.
  std::unordered_set<std::string> seen;
  bool duplicate = false;
  std::string dup_name;
  auto cb = [&](int depth, nlohmann::json::parse_event_t ev, nlohmann::json& parsed) {
    if (depth == 1 && ev == nlohmann::json::parse_event_t::key) {
      const auto& k = parsed.get_ref<const std::string&>();
      if (!seen.insert(k).second && !duplicate) {
        duplicate = true;
        dup_name = k;
      }
    }
    return true;
  };
  nlohmann::json root;
  try {
    root = nlohmann::json::parse(reinterpret_cast<const char*>(header),
                                 reinterpret_cast<const char*>(header) + n, cb);
  } catch (const nlohmann::json::exception& e) {
    corrupt(std::string("not valid UTF-8 JSON (") + e.what() + ")", context);
  }
  if (!root.is_object()) corrupt("header is not a JSON object", context);
  if (duplicate) corrupt("tensor '" + dup_name + "' appears twice", context);

  SafetensorsHeader h;
  h.header_len = n;
  h.tensors.reserve(root.size());
  for (auto it = root.begin(); it != root.end(); ++it) {
    if (it.key() == "__metadata__") {
      if (!it->is_object()) corrupt("__metadata__ is not an object", context);
      for (auto m = it->begin(); m != it->end(); ++m) {
        if (!m->is_string()) corrupt("__metadata__ value '" + m.key() + "' is not a string", context);
        h.metadata[m.key()] = m->get<std::string>();
      }
      continue;
    }
    h.tensors.push_back(parse_entry(it.key(), *it, context, file_name));
  }
  std::stable_sort(h.tensors.begin(), h.tensors.end(), [](const TensorInfo& a, const TensorInfo& b) {
    return a.data_begin != b.data_begin ? a.data_begin < b.data_begin : a.data_end < b.data_end;
  });
  std::uint64_t pos = 0;
  for (const auto& t : h.tensors) {
    if (t.data_begin != pos)
      corrupt("tensor '" + t.name + "' starts at " + std::to_string(t.data_begin) + ", expected " +
                  std::to_string(pos) + (t.data_begin < pos ? " (overlap)" : " (gap)"),
              context);
    if (t.data_end < t.data_begin) corrupt("tensor '" + t.name + "' ends before it starts", context);
    if (t.data_end - t.data_begin != t.nbytes)
      corrupt("tensor '" + t.name + "' has " + std::to_string(t.data_end - t.data_begin) +
                  " bytes but its dtype and shape need " + std::to_string(t.nbytes),
              context);
    pos = t.data_end;
  }
  std::uint64_t expected_size = 0;
  if (__builtin_add_overflow(pos, 8 + static_cast<std::uint64_t>(n), &expected_size) ||
      expected_size != file_size)
    corrupt("data section is " + std::to_string(file_size - std::min<std::uint64_t>(file_size, 8 + n)) +
                " bytes but the tensors cover " + std::to_string(pos),
            context);
  return h;
}

SafetensorsHeader read_safetensors_header(const std::string& path) {
  ReadFile f(path);
  if (f.size() < 8) corrupt("file shorter than 8 bytes", path);
  std::uint8_t len_bytes[8];
  f.read_exact(0, len_bytes, 8);
  std::uint64_t n = 0;
  for (int i = 7; i >= 0; --i) n = (n << 8) | len_bytes[i];
  if (n > kSafetensorsMaxHeader) corrupt("header length " + std::to_string(n) + " exceeds 100 MB", path);
  if (n > f.size() - 8) corrupt("header length " + std::to_string(n) + " runs past the end of the file", path);
  std::string header(static_cast<std::size_t>(n), '\0');
  f.read_exact(8, header.data(), header.size());
  return parse_safetensors_header(reinterpret_cast<const std::uint8_t*>(header.data()), header.size(),
                                  f.size(), path, path_basename(path));
}

std::string build_safetensors_header(const std::vector<SafetensorsEntry>& entries,
                                     const std::map<std::string, std::string>& metadata,
                                     std::vector<std::size_t>* order) {
  std::vector<std::size_t> idx(entries.size());
  for (std::size_t i = 0; i < idx.size(); ++i) idx[i] = i;
  std::sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) {
    if (entries[a].dtype != entries[b].dtype) return entries[a].dtype > entries[b].dtype;
    return entries[a].name < entries[b].name;
  });
  std::string out = "{";
  bool first = true;
  if (!metadata.empty()) {
    out += "\"__metadata__\":{";
    bool mfirst = true;
    for (const auto& [k, v] : metadata) {
      if (!mfirst) out += ',';
      mfirst = false;
      append_json_string(out, k, false);
      out += ':';
      append_json_string(out, v, false);
    }
    out += '}';
    first = false;
  }
  std::uint64_t offset = 0;
  for (std::size_t i : idx) {
    const auto& e = entries[i];
    if (!first) out += ',';
    first = false;
    append_json_string(out, e.name, false);
    out += ":{\"dtype\":\"";
    out += dtype_code(e.dtype);
    out += "\",\"shape\":[";
    for (std::size_t d = 0; d < e.shape.size(); ++d) {
      if (d) out += ',';
      out += std::to_string(e.shape[d]);
    }
    out += "],\"data_offsets\":[" + std::to_string(offset) + "," + std::to_string(offset + e.nbytes) + "]}";
    offset += e.nbytes;
  }
  out += '}';
  out.append((8 - out.size() % 8) % 8, ' ');
  if (order) *order = std::move(idx);
  return out;
}

}  // namespace lathe
