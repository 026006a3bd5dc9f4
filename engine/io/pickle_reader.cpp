#include "io/pickle_reader.h"

#include "core/error.h"

#include <algorithm>
#include <cstring>
#include <memory>
#include <optional>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

namespace lathe {
namespace {

// Values live in pools owned by the Machine and refer to each other by index,
// so a hostile pickle that builds a cycle (a list appended to itself) cannot
// leak or make a destructor recurse.
enum class Kind : std::uint8_t {
  None, Bool, Int, BigInt, Float, Str, Bytes, Tuple, List, Dict, Global, Storage, Tensor
};

/// What an allowed global stands for.
enum class Fn : std::uint8_t {
  OrderedDict, RebuildTensorV2, RebuildTensor, RebuildParameter, RebuildParameterWithState,
  StorageType, Dtype
};

struct Val {
  Kind kind = Kind::None;
  Fn fn = Fn::OrderedDict;   // Global
  DType dtype = DType::F32;  // Global (StorageType, Dtype)
  std::uint32_t ref = 0;     // index into the pool of its kind
  std::int64_t num = 0;      // Bool, Int; Float as bits
};

struct Container {
  std::vector<Val> items;  // dicts: key, value, key, value, ...
  std::size_t depth = 1;
  // Dict key signature → position of the key in items (Python keeps the first position on overwrite).
  std::unique_ptr<std::unordered_map<std::string, std::size_t>> index;
};

struct StorageRef {
  std::string key;
  DType dtype = DType::F32;
  std::uint64_t numel = 0;        // the whole record
  std::uint64_t view_offset = 0;  // legacy storage views only
  std::uint64_t view_numel = 0;
};

struct TensorRef {
  std::uint32_t storage = 0;
  std::int64_t offset = 0;  // within the record, view offset included
  std::vector<std::int64_t> shape, stride;
};

namespace op {
constexpr std::uint8_t MARK = '(', STOP = '.', BININT = 'J', BININT1 = 'K', BININT2 = 'M',
    NONE = 'N', BINPERSID = 'Q', REDUCE = 'R', BINSTRING = 'T', SHORT_BINSTRING = 'U',
    BINUNICODE = 'X', APPEND = 'a', BUILD = 'b', GLOBAL = 'c', APPENDS = 'e', BINGET = 'h',
    LONG_BINGET = 'j', EMPTY_LIST = ']', BINPUT = 'q', LONG_BINPUT = 'r', SETITEM = 's',
    TUPLE = 't', SETITEMS = 'u', EMPTY_DICT = '}', EMPTY_TUPLE = ')', BINFLOAT = 'G',
    BINBYTES = 'B', SHORT_BINBYTES = 'C', PROTO = 0x80, TUPLE1 = 0x85, TUPLE2 = 0x86,
    TUPLE3 = 0x87, NEWTRUE = 0x88, NEWFALSE = 0x89, LONG1 = 0x8a, SHORT_BINUNICODE = 0x8c,
    BINUNICODE8 = 0x8d, BINBYTES8 = 0x8e, STACK_GLOBAL = 0x93, MEMOIZE = 0x94, FRAME = 0x95;
}  // namespace op

struct NamedDType {
  const char* name;
  DType dtype;
};
constexpr NamedDType kStorageTypes[] = {
    {"FloatStorage", DType::F32}, {"HalfStorage", DType::F16}, {"BFloat16Storage", DType::BF16},
    {"DoubleStorage", DType::F64}, {"LongStorage", DType::I64}, {"IntStorage", DType::I32},
    {"ShortStorage", DType::I16}, {"CharStorage", DType::I8}, {"ByteStorage", DType::U8},
    {"BoolStorage", DType::Bool},
};
constexpr NamedDType kDtypeNames[] = {
    {"float32", DType::F32}, {"float", DType::F32}, {"float16", DType::F16},
    {"half", DType::F16}, {"bfloat16", DType::BF16}, {"float64", DType::F64},
    {"double", DType::F64}, {"int64", DType::I64}, {"long", DType::I64},
    {"int32", DType::I32}, {"int", DType::I32}, {"int16", DType::I16},
    {"short", DType::I16}, {"int8", DType::I8}, {"uint8", DType::U8}, {"bool", DType::Bool},
};

std::optional<Val> resolve_global(std::string_view module, std::string_view name) {
  auto global = [](Fn fn, DType dtype = DType::F32) {
    Val v;
    v.kind = Kind::Global;
    v.fn = fn;
    v.dtype = dtype;
    return std::optional<Val>(v);
  };
  if (module == "collections" && name == "OrderedDict") return global(Fn::OrderedDict);
  if (module == "torch._utils") {
    if (name == "_rebuild_tensor_v2") return global(Fn::RebuildTensorV2);
    if (name == "_rebuild_tensor") return global(Fn::RebuildTensor);
    if (name == "_rebuild_parameter") return global(Fn::RebuildParameter);
    if (name == "_rebuild_parameter_with_state") return global(Fn::RebuildParameterWithState);
  }
  if (module == "torch") {
    for (const auto& s : kStorageTypes)
      if (name == s.name) return global(Fn::StorageType, s.dtype);
    for (const auto& d : kDtypeNames)
      if (name == d.name) return global(Fn::Dtype, d.dtype);
  }
  return std::nullopt;
}

/// Hostile names go into error messages: keep them short and printable.
std::string printable(std::string_view s) {
  std::string out;
  for (char c : s.substr(0, 120)) out.push_back(c >= 0x20 && c < 0x7f ? c : '?');
  if (s.size() > 120) out += "...";
  return out;
}

/// Strict UTF-8 (no overlongs, no surrogates): names end up in JSON, which rejects both.
bool valid_utf8(const std::uint8_t* p, std::size_t n) {
  static constexpr std::uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
  for (std::size_t i = 0; i < n;) {
    std::uint8_t c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len;
    std::uint32_t cp;
    if ((c & 0xe0) == 0xc0) len = 2, cp = c & 0x1fu;
    else if ((c & 0xf0) == 0xe0) len = 3, cp = c & 0x0fu;
    else if ((c & 0xf8) == 0xf0) len = 4, cp = c & 0x07u;
    else return false;
    if (n - i < len) return false;
    for (std::size_t k = 1; k < len; ++k) {
      if ((p[i + k] & 0xc0) != 0x80) return false;
      cp = (cp << 6) | (p[i + k] & 0x3fu);
    }
    if (cp < kMin[len] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
    i += len;
  }
  return true;
}

bool valid_storage_key(const std::string& k) {
  if (k.empty() || k.size() > 64) return false;
  for (char c : k)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
          c == '-' || c == '.'))
      return false;
  return k != "." && k != "..";
}

class Machine {
 public:
  Machine(const std::uint8_t* data, std::size_t size, std::size_t start, const std::string& ctx,
          const PickleLimits& lim)
      : data_(data), size_(size), pos_(start), ctx_(ctx), lim_(lim) {}

  /// Executes opcodes up to STOP and returns the object it pops.
  Val run();
  std::size_t pos() const { return pos_; }
  const std::string& str(const Val& v) const { return strings_[v.ref]; }
  const Container& cont(const Val& v) const { return conts_[v.ref]; }
  /// Interprets the unpickled object as a flat name → tensor dict.
  std::vector<PickleTensor> state_dict(const Val& top) const;

  [[noreturn]] void fail(const std::string& what) const {
    throw Error(ErrorCode::CorruptFile, "pickle: " + what + " (at byte " + std::to_string(pos_) + ")",
                ctx_);
  }

 private:
  const std::uint8_t* take(std::uint64_t n) {
    if (n > size_ - pos_) fail("truncated");
    const std::uint8_t* p = data_ + pos_;
    pos_ += static_cast<std::size_t>(n);
    return p;
  }
  std::uint64_t uint_le(std::size_t n) {
    const std::uint8_t* p = take(n);
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < n; ++i) v |= static_cast<std::uint64_t>(p[i]) << (8 * i);
    return v;
  }
  std::string line() {
    const std::uint8_t* start = data_ + pos_;
    const void* nl = std::memchr(start, '\n', size_ - pos_);
    if (!nl) fail("truncated GLOBAL");
    std::size_t n = static_cast<std::size_t>(static_cast<const std::uint8_t*>(nl) - start);
    pos_ += n + 1;
    return std::string(reinterpret_cast<const char*>(start), n);
  }

  void count_object() {
    if (++objects_ > lim_.max_objects) fail("too many objects");
  }
  void push(const Val& v) {
    if (stack_.size() >= lim_.max_stack) fail("stack too large");
    stack_.push_back(v);
  }
  // The innermost MARK is a floor: Python's unpickler gives each MARK a fresh stack.
  bool stack_empty() const { return stack_.size() <= (marks_.empty() ? 0 : marks_.back()); }
  Val pop() {
    if (stack_empty()) fail("stack underflow");
    Val v = stack_.back();
    stack_.pop_back();
    return v;
  }
  const Val& top() const {
    if (stack_empty()) fail("stack underflow");
    return stack_.back();
  }
  std::vector<Val> pop_mark() {
    if (marks_.empty()) fail("no MARK to pop to");
    std::size_t m = marks_.back();
    marks_.pop_back();
    std::vector<Val> items(stack_.begin() + static_cast<std::ptrdiff_t>(m), stack_.end());
    stack_.resize(m);
    return items;
  }

  Val make_text(Kind kind, std::uint64_t n) {
    const std::uint8_t* p = take(n);  // bounds first: the length may be hostile
    if (kind == Kind::Str && !valid_utf8(p, static_cast<std::size_t>(n))) fail("invalid UTF-8 string");
    count_object();
    strings_.emplace_back(reinterpret_cast<const char*>(p), static_cast<std::size_t>(n));
    Val v;
    v.kind = kind;
    v.ref = static_cast<std::uint32_t>(strings_.size() - 1);
    return v;
  }
  std::size_t depth_of(const Val& v) const {
    bool container = v.kind == Kind::Tuple || v.kind == Kind::List || v.kind == Kind::Dict;
    return container ? conts_[v.ref].depth : 0;
  }
  Val make_container(Kind kind, std::vector<Val> items) {
    count_object();
    Container c;
    for (const Val& x : items) c.depth = std::max(c.depth, depth_of(x) + 1);
    if (c.depth > lim_.max_depth) fail("containers nested too deeply");
    c.items = std::move(items);
    conts_.push_back(std::move(c));
    Val v;
    v.kind = kind;
    v.ref = static_cast<std::uint32_t>(conts_.size() - 1);
    return v;
  }
  Val make_int(std::int64_t n) {
    Val v;
    v.kind = Kind::Int;
    v.num = n;
    return v;
  }
  void grow_depth(Container& c, const Val& item) {
    c.depth = std::max(c.depth, depth_of(item) + 1);
    if (c.depth > lim_.max_depth) fail("containers nested too deeply");
  }

  void memo_put(std::uint32_t index) {
    const Val& v = top();
    if (memo_.size() >= lim_.max_memo && memo_.find(index) == memo_.end()) fail("memo too large");
    memo_[index] = v;
  }
  void memo_get(std::uint32_t index) {
    auto it = memo_.find(index);
    if (it == memo_.end()) fail("memo key " + std::to_string(index) + " missing");
    push(it->second);
  }

  void op_global(const std::string& module, const std::string& name);
  void op_reduce();
  void op_persid();
  void dict_set(const Val& dict, const Val& key, const Val& value);
  void list_append(const Val& list, const Val& item);
  Val rebuild_tensor(const std::vector<Val>& args);
  std::vector<std::int64_t> dims(const Val& v, const char* what);
  bool is_text(const Val& v) const { return v.kind == Kind::Str || v.kind == Kind::Bytes; }

  const std::uint8_t* data_;
  std::size_t size_;
  std::size_t pos_;
  const std::string& ctx_;
  const PickleLimits& lim_;
  std::vector<Val> stack_;
  std::vector<std::size_t> marks_;
  std::unordered_map<std::uint32_t, Val> memo_;
  std::vector<std::string> strings_;  // Str, Bytes, BigInt (raw little-endian bytes)
  std::vector<Container> conts_;
  std::vector<StorageRef> storages_;
  std::vector<TensorRef> tensors_;
  std::unordered_map<std::string, std::size_t> storage_by_key_;
  std::size_t objects_ = 0;
};

Val Machine::run() {
  for (;;) {
    const std::uint8_t code = *take(1);
    Val v;
    switch (code) {
      case op::PROTO:
        if (*take(1) > 5) fail("unsupported pickle protocol");
        break;
      case op::FRAME:  // framing only groups bytes; the opcodes inside are read as usual
        if (uint_le(8) > size_ - pos_) fail("frame runs past the end");
        break;
      case op::GLOBAL: {
        std::string module = line();
        std::string name = line();
        op_global(module, name);
        break;
      }
      case op::STACK_GLOBAL: {
        Val name = pop(), module = pop();
        if (name.kind != Kind::Str || module.kind != Kind::Str) fail("STACK_GLOBAL needs two strings");
        op_global(str(module), str(name));
        break;
      }
      case op::BINPUT: memo_put(*take(1)); break;
      case op::LONG_BINPUT: memo_put(static_cast<std::uint32_t>(uint_le(4))); break;
      case op::MEMOIZE: memo_put(static_cast<std::uint32_t>(memo_.size())); break;
      case op::BINGET: memo_get(*take(1)); break;
      case op::LONG_BINGET: memo_get(static_cast<std::uint32_t>(uint_le(4))); break;
      case op::MARK:
        if (marks_.size() >= lim_.max_depth) fail("MARKs nested too deeply");
        marks_.push_back(stack_.size());
        break;
      case op::EMPTY_DICT: push(make_container(Kind::Dict, {})); break;
      case op::EMPTY_LIST: push(make_container(Kind::List, {})); break;
      case op::EMPTY_TUPLE: push(make_container(Kind::Tuple, {})); break;
      case op::TUPLE: push(make_container(Kind::Tuple, pop_mark())); break;
      case op::TUPLE1:
      case op::TUPLE2:
      case op::TUPLE3: {
        std::vector<Val> items(static_cast<std::size_t>(code - op::TUPLE1 + 1));
        for (std::size_t i = items.size(); i-- > 0;) items[i] = pop();
        push(make_container(Kind::Tuple, std::move(items)));
        break;
      }
      case op::BINUNICODE: push(make_text(Kind::Str, uint_le(4))); break;
      case op::SHORT_BINUNICODE: push(make_text(Kind::Str, *take(1))); break;
      case op::BINUNICODE8: push(make_text(Kind::Str, uint_le(8))); break;
      // Python 2 str: torch.load decodes them as UTF-8, and so do we.
      case op::BINSTRING: {
        auto n = static_cast<std::int32_t>(uint_le(4));
        if (n < 0) fail("negative string length");
        push(make_text(Kind::Str, static_cast<std::uint64_t>(n)));
        break;
      }
      case op::SHORT_BINSTRING: push(make_text(Kind::Str, *take(1))); break;
      case op::BINBYTES: push(make_text(Kind::Bytes, uint_le(4))); break;
      case op::SHORT_BINBYTES: push(make_text(Kind::Bytes, *take(1))); break;
      case op::BINBYTES8: push(make_text(Kind::Bytes, uint_le(8))); break;
      case op::BININT: push(make_int(static_cast<std::int32_t>(uint_le(4)))); break;
      case op::BININT1: push(make_int(*take(1))); break;
      case op::BININT2: push(make_int(static_cast<std::int64_t>(uint_le(2)))); break;
      case op::LONG1: {
        std::size_t n = *take(1);
        if (n > 8) {  // beyond int64: only the legacy magic number, kept as raw bytes
          v = make_text(Kind::Bytes, n);
          v.kind = Kind::BigInt;
          push(v);
          break;
        }
        std::uint64_t u = uint_le(n);
        if (n > 0 && n < 8 && (u >> (8 * n - 1)) & 1u) u |= ~std::uint64_t{0} << (8 * n);
        push(make_int(static_cast<std::int64_t>(u)));
        break;
      }
      case op::NONE: push(v); break;
      case op::NEWTRUE:
      case op::NEWFALSE:
        v.kind = Kind::Bool;
        v.num = code == op::NEWTRUE;
        push(v);
        break;
      case op::BINFLOAT: {
        const std::uint8_t* p = take(8);
        std::uint64_t bits = 0;
        for (int i = 0; i < 8; ++i) bits = (bits << 8) | p[i];  // big-endian on the wire
        v.kind = Kind::Float;
        v.num = static_cast<std::int64_t>(bits);
        push(v);
        break;
      }
      case op::BINPERSID: op_persid(); break;
      case op::REDUCE: op_reduce(); break;
      case op::BUILD: {
        pop();  // state: OrderedDict attributes (_metadata) or tensor state, never needed
        Kind k = top().kind;
        if (k != Kind::Dict && k != Kind::Tensor) fail("BUILD on an unsupported object");
        break;
      }
      case op::SETITEM: {
        Val value = pop(), key = pop();
        dict_set(top(), key, value);
        break;
      }
      case op::SETITEMS: {
        std::vector<Val> items = pop_mark();
        if (items.size() % 2) fail("SETITEMS with an odd number of items");
        Val dict = top();
        for (std::size_t i = 0; i < items.size(); i += 2) dict_set(dict, items[i], items[i + 1]);
        break;
      }
      case op::APPEND: {
        Val item = pop();
        list_append(top(), item);
        break;
      }
      case op::APPENDS: {
        std::vector<Val> items = pop_mark();
        Val list = top();
        for (const Val& item : items) list_append(list, item);
        break;
      }
      case op::STOP: return pop();
      default: {
        static const char* hex = "0123456789abcdef";
        pos_ -= 1;
        fail(std::string("unknown opcode 0x") + hex[code >> 4] + hex[code & 15]);
      }
    }
  }
}

void Machine::op_global(const std::string& module, const std::string& name) {
  std::optional<Val> g = resolve_global(module, name);
  if (!g)
    throw Error(ErrorCode::UnsafePickle,
                "refused global '" + printable(module) + "." + printable(name) + "'", ctx_);
  push(*g);
}

void Machine::op_reduce() {
  Val args = pop(), fn = pop();
  if (args.kind != Kind::Tuple) fail("REDUCE arguments are not a tuple");
  if (fn.kind != Kind::Global) fail("REDUCE of an object that is not a function");
  // A reference is safe: no branch creates a container before its last use of the arguments.
  const std::vector<Val>& a = conts_[args.ref].items;
  auto want = [&](std::size_t lo, std::size_t hi) {
    if (a.size() < lo || a.size() > hi) fail("wrong number of arguments in REDUCE");
  };
  switch (fn.fn) {
    case Fn::OrderedDict:
      want(0, 0);
      push(make_container(Kind::Dict, {}));
      return;
    case Fn::RebuildTensorV2:  // (storage, offset, size, stride, requires_grad, hooks[, metadata])
      want(6, 7);
      push(rebuild_tensor(a));
      return;
    case Fn::RebuildTensor:  // (storage, offset, size, stride)
      want(4, 4);
      push(rebuild_tensor(a));
      return;
    case Fn::RebuildParameter:  // (data, requires_grad, hooks[, state])
    case Fn::RebuildParameterWithState:
      want(3, 4);
      if (a[0].kind != Kind::Tensor) fail("Parameter without tensor data");
      push(a[0]);
      return;
    case Fn::StorageType:
    case Fn::Dtype:
      break;
  }
  fail("REDUCE of a type that is not callable");
}

std::vector<std::int64_t> Machine::dims(const Val& v, const char* what) {
  if (v.kind != Kind::Tuple) fail(std::string("tensor ") + what + " is not a tuple");
  const std::vector<Val>& items = conts_[v.ref].items;
  if (items.size() > lim_.max_dims) fail("tensor has too many dimensions");
  std::vector<std::int64_t> out;
  for (const Val& x : items) {
    if (x.kind != Kind::Int || x.num < 0) fail(std::string("negative or non-integer tensor ") + what);
    out.push_back(x.num);
  }
  return out;
}

Val Machine::rebuild_tensor(const std::vector<Val>& a) {
  if (a[0].kind != Kind::Storage) fail("tensor without a storage");
  if (a[1].kind != Kind::Int || a[1].num < 0) fail("bad tensor storage offset");
  TensorRef t;
  t.storage = a[0].ref;
  t.shape = dims(a[2], "size");
  t.stride = dims(a[3], "stride");
  if (t.shape.size() != t.stride.size()) fail("tensor size and stride ranks differ");
  const StorageRef& s = storages_[t.storage];
  // The element furthest from the start must lie inside the storage (view);
  // overflow anywhere means it cannot.
  auto offset = static_cast<std::uint64_t>(a[1].num);
  bool empty = false;
  std::uint64_t last = offset;
  bool overflow = false;
  for (std::size_t i = 0; i < t.shape.size(); ++i) {
    if (t.shape[i] == 0) empty = true;
    std::uint64_t step = 0;
    overflow |= __builtin_mul_overflow(static_cast<std::uint64_t>(t.shape[i] > 0 ? t.shape[i] - 1 : 0),
                                       static_cast<std::uint64_t>(t.stride[i]), &step);
    overflow |= __builtin_add_overflow(last, step, &last);
  }
  if (overflow) fail("tensor extent overflows");
  if (empty ? offset > s.view_numel : last >= s.view_numel)
    fail("tensor reads past its storage '" + s.key + "'");
  t.offset = static_cast<std::int64_t>(offset + s.view_offset);
  count_object();
  tensors_.push_back(std::move(t));
  Val v;
  v.kind = Kind::Tensor;
  v.ref = static_cast<std::uint32_t>(tensors_.size() - 1);
  return v;
}

void Machine::op_persid() {
  Val pid = pop();
  if (pid.kind != Kind::Tuple) fail("persistent id is not a tuple");
  const std::vector<Val>& p = conts_[pid.ref].items;  // only storages_ grows below
  if (p.empty() || !is_text(p[0]) || str(p[0]) != "storage")
    throw Error(ErrorCode::UnsafePickle, "refused persistent id (only storages are allowed)", ctx_);
  // zip: ('storage', type, key, location, numel); legacy adds view metadata.
  if (p.size() != 5 && p.size() != 6) fail("storage persistent id of unexpected length");
  if (p[1].kind != Kind::Global || p[1].fn != Fn::StorageType) fail("storage of unknown type");
  if (!is_text(p[2]) || !valid_storage_key(str(p[2]))) fail("bad storage key");
  if (!is_text(p[3])) fail("storage location is not a string");
  if (p[4].kind != Kind::Int || p[4].num < 0) fail("bad storage size");
  StorageRef s;
  s.key = str(p[2]);
  s.dtype = p[1].dtype;
  s.numel = static_cast<std::uint64_t>(p[4].num);
  if (s.numel > (std::uint64_t{1} << 62) / dtype_size(s.dtype)) fail("storage too large");
  s.view_numel = s.numel;
  if (p.size() == 6 && p[5].kind != Kind::None) {  // (view_key, offset, size), in elements
    if (p[5].kind != Kind::Tuple) fail("bad storage view");
    const std::vector<Val>& view = conts_[p[5].ref].items;
    if (view.size() != 3 || view[1].kind != Kind::Int || view[2].kind != Kind::Int ||
        view[1].num < 0 || view[2].num < 0)
      fail("bad storage view");
    auto off = static_cast<std::uint64_t>(view[1].num), n = static_cast<std::uint64_t>(view[2].num);
    if (off > s.numel || n > s.numel - off) fail("storage view outside its storage");
    s.view_offset = off;
    s.view_numel = n;
  }
  auto [it, inserted] = storage_by_key_.emplace(s.key, storages_.size());
  if (!inserted) {
    const StorageRef& first = storages_[it->second];
    if (first.dtype != s.dtype || first.numel != s.numel)
      fail("storage '" + s.key + "' used with different types or sizes");
  }
  count_object();
  storages_.push_back(std::move(s));
  Val v;
  v.kind = Kind::Storage;
  v.ref = static_cast<std::uint32_t>(storages_.size() - 1);
  push(v);
}

void Machine::dict_set(const Val& dict, const Val& key, const Val& value) {
  if (dict.kind != Kind::Dict) fail("SETITEM on an object that is not a dict");
  std::string sig;
  switch (key.kind) {  // Python equality for the key types a pickle of a state_dict can hold
    case Kind::Str: sig = "s" + str(key); break;
    case Kind::Bytes: sig = "b" + str(key); break;
    case Kind::BigInt: sig = "I" + str(key); break;
    case Kind::Int:
    case Kind::Bool: sig = "i" + std::to_string(key.num); break;
    case Kind::None: sig = "n"; break;
    default: fail("unsupported dict key type");
  }
  Container& d = conts_[dict.ref];
  if (!d.index) d.index = std::make_unique<std::unordered_map<std::string, std::size_t>>();
  grow_depth(d, value);
  auto [it, inserted] = d.index->emplace(std::move(sig), d.items.size());
  if (inserted) {
    d.items.push_back(key);
    d.items.push_back(value);
  } else {
    d.items[it->second + 1] = value;
  }
}

void Machine::list_append(const Val& list, const Val& item) {
  if (list.kind != Kind::List) fail("APPEND to an object that is not a list");
  Container& l = conts_[list.ref];
  grow_depth(l, item);
  l.items.push_back(item);
}

std::vector<PickleTensor> Machine::state_dict(const Val& top) const {
  if (top.kind != Kind::Dict)
    throw Error(ErrorCode::Unsupported, "pickle is not a state_dict (top level is not a dict)", ctx_);
  const std::vector<Val>& items = conts_[top.ref].items;
  std::vector<PickleTensor> out;
  out.reserve(items.size() / 2);
  for (std::size_t i = 0; i < items.size(); i += 2) {
    const Val& k = items[i];
    const Val& v = items[i + 1];
    if (k.kind != Kind::Str)
      throw Error(ErrorCode::Unsupported, "state_dict key is not a string", ctx_);
    if (v.kind != Kind::Tensor)
      throw Error(ErrorCode::Unsupported,
                  "state_dict entry '" + printable(str(k)) + "' is not a tensor", ctx_);
    const TensorRef& t = tensors_[v.ref];
    const StorageRef& s = storages_[t.storage];
    out.push_back({str(k), s.key, s.dtype, s.numel, t.offset, t.shape, t.stride});
  }
  return out;
}

// torch.serialization.MAGIC_NUMBER (0x1950a86a20f9469cfc6c) as LONG1 stores it.
constexpr char kLegacyMagic[] = "\x6c\xfc\x9c\x46\xf9\x20\x6a\xa8\x50\x19";
constexpr std::int64_t kLegacyProtocolVersion = 1001;

}  // namespace

std::vector<PickleTensor> read_state_dict_pickle(const std::uint8_t* data, std::size_t size,
                                                 const std::string& context, std::size_t* consumed,
                                                 const PickleLimits& limits) {
  Machine m(data, size, 0, context, limits);
  Val top = m.run();
  if (consumed) *consumed = m.pos();
  return m.state_dict(top);
}

LegacyTorchBin parse_legacy_torch_bin(const std::uint8_t* data, std::uint64_t size,
                                      const std::string& context, const PickleLimits& limits) {
  auto corrupt = [&](const std::string& what) {
    return Error(ErrorCode::CorruptFile, "legacy torch file: " + what, context);
  };
  const auto n = static_cast<std::size_t>(size);
  std::size_t pos = 0;

  Machine magic(data, n, pos, context, limits);
  Val v = magic.run();
  if (v.kind != Kind::BigInt || magic.str(v) != std::string_view(kLegacyMagic, 10))
    throw corrupt("bad magic number");
  pos = magic.pos();

  Machine proto(data, n, pos, context, limits);
  v = proto.run();
  if (v.kind != Kind::Int || v.num != kLegacyProtocolVersion) throw corrupt("unknown protocol version");
  pos = proto.pos();

  Machine sys_info(data, n, pos, context, limits);
  v = sys_info.run();
  if (v.kind != Kind::Dict) throw corrupt("sys_info is not a dict");
  const std::vector<Val>& info = sys_info.cont(v).items;
  for (std::size_t i = 0; i < info.size(); i += 2)
    if (info[i].kind == Kind::Str && sys_info.str(info[i]) == "little_endian" &&
        !(info[i + 1].kind == Kind::Bool && info[i + 1].num == 1))
      throw Error(ErrorCode::Unsupported, "big-endian legacy torch file", context);
  pos = sys_info.pos();

  Machine main(data, n, pos, context, limits);
  LegacyTorchBin out;
  out.tensors = main.state_dict(main.run());
  pos = main.pos();

  Machine keys(data, n, pos, context, limits);
  v = keys.run();
  if (v.kind != Kind::List) throw corrupt("storage key list is not a list");
  pos = keys.pos();

  std::unordered_map<std::string, const PickleTensor*> used;
  for (const PickleTensor& t : out.tensors) used.emplace(t.storage, &t);
  std::unordered_set<std::string> seen;
  std::uint64_t at = pos;
  for (const Val& k : keys.cont(v).items) {
    if (k.kind != Kind::Str) throw corrupt("storage key is not a string");
    const std::string& key = keys.str(k);
    auto it = used.find(key);
    // An unused storage has no known dtype, so its size in bytes (and everything after it) is unknown.
    if (it == used.end()) throw corrupt("storage '" + printable(key) + "' is not used by any tensor");
    if (!seen.insert(key).second) throw corrupt("storage '" + key + "' listed twice");
    if (size - at < 8) throw corrupt("truncated before storage '" + key + "'");
    std::uint64_t count = 0;
    for (int b = 7; b >= 0; --b) count = (count << 8) | data[at + static_cast<std::uint64_t>(b)];
    if (count != it->second->storage_numel) throw corrupt("storage '" + key + "' has the wrong size");
    at += 8;
    std::uint64_t bytes = count * dtype_size(it->second->dtype);  // numel is capped at 2^62 / itemsize
    if (bytes > size - at) throw corrupt("storage '" + key + "' runs past the end of the file");
    out.storages.push_back({key, it->second->dtype, count, at});
    at += bytes;
  }
  for (const auto& [key, t] : used)
    if (!seen.count(key)) throw corrupt("storage '" + key + "' has no data");
  return out;
}

}  // namespace lathe
