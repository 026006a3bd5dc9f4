#include "io/safetensors.h"

#include "core/error.h"
#include "core/file_util.h"
#include "core/json_util.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <functional>
#include <map>
#include <vector>

namespace lathe {
namespace {

[[noreturn]] void corrupt(const std::string& what, const std::string& context) {
  throw Error(ErrorCode::CorruptFile, "invalid safetensors header: " + what, context);
}

bool mul_overflows(std::uint64_t a, std::uint64_t b, std::uint64_t* out) {
  return __builtin_mul_overflow(a, b, out);
}

// The header is read with nlohmann's SAX interface straight into TensorInfo
// records: no DOM. (A DOM parse with a callback, as before, is quadratic: on
// every nested object's end nlohmann scans the whole parent object for
// discarded values, i.e. the root once per tensor.) The handler reproduces
// the DOM reading exactly: a JSON error anywhere wins over everything else,
// then a duplicate top-level name (the first one in document order), then the
// first bad entry in key order (std::map order of a DOM object), with
// duplicate keys inside an entry or __metadata__ resolved "last one wins" as
// the DOM does.
class HeaderSax {
 public:
  using json = nlohmann::json;
  /// With `names`, every top-level key is kept there in document order;
  /// without, only its hash (the fast duplicate check).
  HeaderSax(const std::string& file_name, std::vector<std::string>* names) : file_name_(file_name), names_(names) {}

  bool null() { return scalar(Kind::Other, 0, nullptr); }
  bool boolean(bool) { return scalar(Kind::Other, 0, nullptr); }
  bool number_integer(json::number_integer_t) { return scalar(Kind::Other, 0, nullptr); }
  bool number_unsigned(json::number_unsigned_t v) { return scalar(Kind::Unsigned, v, nullptr); }
  bool number_float(json::number_float_t, const json::string_t&) { return scalar(Kind::Other, 0, nullptr); }
  bool string(json::string_t& s) { return scalar(Kind::String, 0, &s); }
  bool binary(json::binary_t&) { return scalar(Kind::Other, 0, nullptr); }
  bool start_object(std::size_t) { return open(true); }
  bool start_array(std::size_t) { return open(false); }
  bool end_object() {
    if (--depth_ == 1) finish_entry();
    return true;
  }
  bool end_array() {
    if (--depth_ == 2) arr_ = Arr::None;
    else if (depth_ == 1) mode_ = Mode::None;
    return true;
  }
  bool key(json::string_t& k) {
    if (depth_ == 1) {
      if (names_) names_->push_back(k);
      else hashes_.push_back(std::hash<std::string>{}(k));
      name_ = std::move(k);
    } else if (depth_ == 2) {
      key2_ = std::move(k);
    }
    return true;
  }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& e) {
    json_error_ = e.what();
    return false;
  }

  std::string json_error_;
  bool root_object_ = false;
  std::vector<std::size_t> hashes_;     // of the top-level keys
  bool has_error_ = false;              // the bad entry with the smallest key
  std::string error_key_, error_;
  std::map<std::string, std::string> metadata_;
  std::vector<TensorInfo> tensors_;

 private:
  enum class Kind { Unsigned, String, Object, Array, Other };
  enum class Mode { None, Tensor, Meta, Skip };
  enum class Field { Missing, Bad, Good };  // Good: a string dtype, an array shape/offsets
  enum class Arr { None, Shape, Offsets };

  bool open(bool object) {
    Kind k = object ? Kind::Object : Kind::Array;
    if (depth_ == 0) {
      root_object_ = object;
    } else if (depth_ == 1) {
      if (!object) {
        value_not_object();
        mode_ = Mode::Skip;
      } else if (name_ == "__metadata__") {
        mode_ = Mode::Meta;
        meta_.clear();
      } else {
        mode_ = Mode::Tensor;
        dtype_ = shape_ = offsets_ = Field::Missing;
      }
    } else {
      scalar(k, 0, nullptr);
    }
    ++depth_;
    return true;
  }

  bool scalar(Kind k, std::uint64_t u, json::string_t* s) {
    if (depth_ == 1) {
      value_not_object();
    } else if (depth_ == 2 && mode_ == Mode::Tensor) {
      field(k, s);
    } else if (depth_ == 2 && mode_ == Mode::Meta) {
      auto& slot = meta_[key2_];
      slot.first = k == Kind::String;
      if (s) slot.second = std::move(*s);
    } else if (depth_ == 3 && mode_ == Mode::Tensor && arr_ != Arr::None) {
      element(k, u);
    }
    return true;
  }

  void field(Kind k, json::string_t* s) {
    if (key2_ == "dtype") {
      dtype_ = k == Kind::String ? Field::Good : Field::Bad;
      if (s) dtype_code_ = std::move(*s);
    } else if (key2_ == "shape") {
      shape_ = k == Kind::Array ? Field::Good : Field::Bad;
      if (k == Kind::Array) {
        arr_ = Arr::Shape;
        shape_error_ = 0;
        numel_ = 1;
        dims_.clear();
      }
    } else if (key2_ == "data_offsets") {
      offsets_ = k == Kind::Array ? Field::Good : Field::Bad;
      if (k == Kind::Array) {
        arr_ = Arr::Offsets;
        offsets_count_ = 0;
        offsets_unsigned_ = true;
      }
    }
  }

  void element(Kind k, std::uint64_t u) {
    if (arr_ == Arr::Offsets) {
      if (offsets_count_ < 2) {
        offsets_unsigned_ = offsets_unsigned_ && k == Kind::Unsigned;
        offset_[offsets_count_] = u;
      }
      ++offsets_count_;
      return;
    }
    if (shape_error_) return;
    if (k != Kind::Unsigned) {
      shape_error_ = 1;
    } else if (u > static_cast<std::uint64_t>(INT64_MAX) || mul_overflows(numel_, u, &numel_)) {
      shape_error_ = 2;
    } else {
      dims_.push_back(static_cast<std::int64_t>(u));
    }
  }

  void fail(std::string msg) {
    if (has_error_ && !(name_ < error_key_)) return;
    has_error_ = true;
    error_key_ = name_;
    error_ = std::move(msg);
  }
  void value_not_object() {
    if (has_error_ && !(name_ < error_key_)) return;
    fail(name_ == "__metadata__" ? "__metadata__ is not an object" : "entry '" + name_ + "' is not an object");
  }

  void finish_entry() {
    Mode m = mode_;
    mode_ = Mode::None;
    if (m == Mode::Meta) {
      for (auto& [k, v] : meta_) {
        if (!v.first) return fail("__metadata__ value '" + k + "' is not a string");
        metadata_[k] = std::move(v.second);
      }
      return;
    }
    if (m != Mode::Tensor) return;
    const std::string& name = name_;
    if (has_error_ && !(name < error_key_)) return;  // an earlier key already failed
    if (dtype_ == Field::Missing || shape_ == Field::Missing || offsets_ == Field::Missing)
      return fail("entry '" + name + "' lacks dtype, shape or data_offsets");
    if (dtype_ == Field::Bad) return fail("dtype of '" + name + "' is not a string");
    auto dtype = dtype_from_code(dtype_code_);
    if (!dtype) return fail("unknown dtype '" + dtype_code_ + "' for '" + name + "'");
    if (shape_ == Field::Bad) return fail("shape of '" + name + "' is not a list");
    if (shape_error_ == 1) return fail("shape of '" + name + "' has a non-integer or negative dimension");
    if (shape_error_ == 2) return fail("shape of '" + name + "' overflows");
    TensorInfo t;
    if (mul_overflows(numel_, dtype_size(*dtype), &t.nbytes) || numel_ > static_cast<std::uint64_t>(INT64_MAX))
      return fail("byte size of '" + name + "' overflows");
    if (offsets_ != Field::Good || offsets_count_ != 2 || !offsets_unsigned_)
      return fail("data_offsets of '" + name + "' are not two non-negative integers");
    if (has_error_) return;  // the header fails anyway: keep nothing
    t.name = name;
    t.dtype = *dtype;
    t.shape = std::move(dims_);
    t.file = file_name_;
    t.data_begin = offset_[0];
    t.data_end = offset_[1];
    tensors_.push_back(std::move(t));
  }

  const std::string& file_name_;
  std::vector<std::string>* names_;
  int depth_ = 0;  // containers open
  Mode mode_ = Mode::None;
  std::string name_, key2_;
  // The tensor entry being read.
  Field dtype_ = Field::Missing, shape_ = Field::Missing, offsets_ = Field::Missing;
  Arr arr_ = Arr::None;
  std::string dtype_code_;
  int shape_error_ = 0;  // 1 non-integer or negative, 2 overflow
  std::uint64_t numel_ = 1;
  std::vector<std::int64_t> dims_;
  std::size_t offsets_count_ = 0;
  bool offsets_unsigned_ = true;
  std::uint64_t offset_[2] = {0, 0};
  // The __metadata__ object being read: key -> (is a string, value).
  std::map<std::string, std::pair<bool, std::string>> meta_;
};

bool parse_json(const std::uint8_t* header, std::size_t n, HeaderSax* sax) {
  const char* text = reinterpret_cast<const char*>(header);
  return nlohmann::json::sax_parse(text, text + n, sax);
}

// The first top-level name, in document order, that repeats an earlier one
// ("" if none). The common case costs a sort of 64-bit hashes; only when two
// hashes are equal (a duplicate, a collision, or a file built to collide) are
// the names themselves compared: by sorting, so O(n log n) whatever the input.
std::string first_duplicate(std::vector<std::size_t> hashes, const std::uint8_t* header, std::size_t n,
                            const std::string& file_name) {
  std::sort(hashes.begin(), hashes.end());
  if (std::adjacent_find(hashes.begin(), hashes.end()) == hashes.end()) return {};
  std::vector<std::string> names;
  HeaderSax again(file_name, &names);
  parse_json(header, n, &again);
  std::vector<std::size_t> idx(names.size());
  for (std::size_t i = 0; i < idx.size(); ++i) idx[i] = i;
  std::stable_sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) { return names[a] < names[b]; });
  std::size_t first = names.size();
  for (std::size_t i = 1; i < idx.size(); ++i)
    if (names[idx[i]] == names[idx[i - 1]] && (i < 2 || names[idx[i - 2]] != names[idx[i]])) first = std::min(first, idx[i]);
  return first < names.size() ? names[first] : std::string();
}

}  // namespace

SafetensorsHeader parse_safetensors_header(const std::uint8_t* header, std::size_t n,
                                           std::uint64_t file_size, const std::string& context,
                                           const std::string& file_name) {
  if (n > kSafetensorsMaxHeader) corrupt("header larger than 100 MB", context);
  if (n == 0 || header[0] != '{') corrupt("header is not a JSON object", context);

  // Duplicate names would let two entries claim one region; the reference
  // reader keeps one silently. We refuse them.
  HeaderSax sax(file_name, nullptr);
  if (!parse_json(header, n, &sax)) corrupt(std::string("not valid UTF-8 JSON (") + sax.json_error_ + ")", context);
  if (!sax.root_object_) corrupt("header is not a JSON object", context);
  const std::string dup = first_duplicate(std::move(sax.hashes_), header, n, file_name);
  if (!dup.empty()) corrupt("tensor '" + dup + "' appears twice", context);
  if (sax.has_error_) corrupt(sax.error_, context);

  SafetensorsHeader h;
  h.header_len = n;
  h.metadata = std::move(sax.metadata_);
  h.tensors = std::move(sax.tensors_);
  // File order; ties (empty tensors) by name, as a stable sort of the key-ordered entries.
  auto before = [](const TensorInfo& a, const TensorInfo& b) {
    if (a.data_begin != b.data_begin) return a.data_begin < b.data_begin;
    if (a.data_end != b.data_end) return a.data_end < b.data_end;
    return a.name < b.name;
  };
  if (!std::is_sorted(h.tensors.begin(), h.tensors.end(), before))
    std::sort(h.tensors.begin(), h.tensors.end(), before);
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
