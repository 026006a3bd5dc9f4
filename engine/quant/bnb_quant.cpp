#include "quant/bnb_quant.h"

#include "core/error.h"
#include "core/json_util.h"

#include <ATen/Parallel.h>
#include <ATen/TensorOperators.h>
#include <ATen/ops/empty.h>
#include <ATen/ops/linspace.h>
#include <ATen/ops/mean.h>
#include <ATen/ops/tensor.h>

#include <algorithm>
#include <cmath>
#include <cstring>

namespace lathe::quant {

namespace {

std::array<float, 16> make_nf4() {
  // get_4bit_type("nf4"): the list below as float32 (then ÷ max|x| = 1.0).
  const double v[16] = {-1.0, -0.6961928009986877, -0.5250730514526367, -0.39491748809814453,
                        -0.28444138169288635, -0.18477343022823334, -0.09105003625154495, 0.0,
                        0.07958029955625534, 0.16093020141124725, 0.24611230194568634, 0.33791524171829224,
                        0.44070982933044434, 0.5626170039176941, 0.7229568362236023, 1.0};
  std::array<float, 16> c{};
  for (int i = 0; i < 16; ++i) c[i] = static_cast<float>(v[i]);
  return c;
}

std::array<float, 16> make_fp4() {
  // get_4bit_type("fp4"): [0, 0.0625, 8, 12, 4, 6, 2, 3, -0, -0.0625, ...] ÷ 12 in
  // float32. Python's `-0` is the integer 0, so code 8 is +0.0.
  const float v[8] = {0.f, 0.0625f, 8.f, 12.f, 4.f, 6.f, 2.f, 3.f};
  std::array<float, 16> c{};
  for (int i = 0; i < 8; ++i) {
    c[i] = v[i] / 12.0f;
    c[i + 8] = i == 0 ? 0.0f : -v[i] / 12.0f;
  }
  return c;
}

std::array<float, 256> make_dynamic() {
  // create_dynamic_map(signed=True, max_exponent_bits=7, total_bits=8):
  // for i in 0..6: boundaries = linspace(0.1, 1, 2**i + 1) (float32),
  // means = (b[:-1] + b[1:]) / 2, ±10**(i-6)·means; then 0 and 1.0; sorted.
  std::vector<double> data;
  for (int i = 0; i < 7; ++i) {
    at::Tensor b = at::linspace(0.1, 1.0, (1 << i) + 1, at::TensorOptions().dtype(at::kFloat));
    at::Tensor means = (b.slice(0, 0, b.size(0) - 1) + b.slice(0, 1)) / 2.0;
    const double scale = std::pow(10.0, -6 + i);
    at::Tensor pos = (means * scale).contiguous(), neg = (means * -scale).contiguous();
    for (at::Tensor t : {pos, neg}) {
      const float* p = t.data_ptr<float>();
      for (std::int64_t k = 0; k < t.numel(); ++k) data.push_back(p[k]);
    }
  }
  data.push_back(0.0);
  data.push_back(1.0);
  std::sort(data.begin(), data.end());
  std::array<float, 256> c{};
  if (data.size() != 256) throw Error(ErrorCode::Internal, "dynamic map size", std::to_string(data.size()));
  for (int i = 0; i < 256; ++i) c[i] = static_cast<float>(data[i]);
  return c;
}

}  // namespace

const std::array<float, 16>& code_4bit(const std::string& quant_type) {
  static const std::array<float, 16> nf4 = make_nf4(), fp4 = make_fp4();
  if (quant_type == "nf4") return nf4;
  if (quant_type == "fp4") return fp4;
  throw Error(ErrorCode::InvalidArgument, "4-bit quant_type must be nf4 or fp4, got '" + quant_type + "'");
}

const std::array<float, 256>& dynamic_map() {
  static const std::array<float, 256> m = make_dynamic();
  return m;
}

// dQuantizeNF4 (bitsandbytes csrc/kernels.cu): a comparison tree over the
// midpoints of adjacent codes, as the kernel's float literals. NaN (0/0 in an
// all-zero block) fails every test and lands on code 0.
const std::array<float, 15>& nf4_thresholds() {
  static const std::array<float, 15> t = {
      -0.8480964004993439f, -0.6106329262256622f, -0.4599952697753906f, -0.33967943489551544f,
      -0.23460740596055984f, -0.13791173323988914f, -0.045525018125772476f, 0.03979014977812767f,
      0.1202552504837513f, 0.2035212516784668f, 0.2920137718319893f, 0.3893125355243683f,
      0.5016634166240692f, 0.6427869200706482f, 0.8614784181118011f};
  return t;
}

std::uint8_t quantize_nf4_value(float x) {
  const auto& t = nf4_thresholds();
  if (x > t[7]) {
    if (x > t[11]) {
      if (x > t[13]) return x > t[14] ? 0b1111 : 0b1110;
      return x > t[12] ? 0b1101 : 0b1100;
    }
    if (x > t[9]) return x > t[10] ? 0b1011 : 0b1010;
    return x > t[8] ? 0b1001 : 0b1000;
  }
  if (x > t[3]) {
    if (x > t[5]) return x > t[6] ? 0b0111 : 0b0110;
    return x > t[4] ? 0b0101 : 0b0100;
  }
  if (x > t[1]) return x > t[2] ? 0b0011 : 0b0010;
  return x > t[0] ? 0b0001 : 0b0000;
}

// dQuantizeFP4: sign bit from x < 0, then a tree over |x| (pivots ÷ 12).
std::uint8_t quantize_fp4_value(float x) {
  const int sign = x < 0 ? 0b1000 : 0;
  x = std::fabs(x);
  int c;
  if (x > 0.29166667f) {
    if (x > 0.583333f) c = x > 0.8333333f ? 0b0011 : 0b0010;
    else c = x > 0.4166667f ? 0b0101 : 0b0100;
  } else {
    if (x > 0.0859375f) c = x > 0.20833333f ? 0b0111 : 0b0110;
    else c = x > 0.00260417f ? 0b0001 : 0b0000;
  }
  return static_cast<std::uint8_t>(c + sign);
}

// dQuantize<0>: binary search for the nearest code, then a midpoint test.
std::uint8_t quantize_dynamic_value(const std::array<float, 256>& code, float x) {
  int pivot = 127, upper_pivot = 255, lower_pivot = 0;
  float lower = -1.0f, upper = 1.0f;
  float val = code[pivot];
  for (int i = 64; i > 0; i >>= 1) {
    if (x > val) {
      lower_pivot = pivot;
      lower = val;
      pivot += i;
    } else {
      upper_pivot = pivot;
      upper = val;
      pivot -= i;
    }
    val = code[pivot];
  }
  if (upper_pivot == 255) upper = code[upper_pivot];
  if (lower_pivot == 0) lower = code[lower_pivot];
  if (x > val) {
    float mid = (upper + val) * 0.5f;
    return static_cast<std::uint8_t>(x > mid ? upper_pivot : pivot);
  }
  float mid = (lower + val) * 0.5f;
  return static_cast<std::uint8_t>(x < mid ? lower_pivot : pivot);
}

std::int64_t QuantState4::numel() const {
  std::int64_t n = 1;
  for (auto s : shape) n *= s;
  return n;
}

namespace {

void check_blocksize(std::int64_t bs) {
  bool pow2 = bs > 0 && (bs & (bs - 1)) == 0;
  if (!pow2 || bs < 32 || bs > 4096)
    throw Error(ErrorCode::InvalidArgument, "blocksize must be a power of 2 from 32 to 4096, got " + std::to_string(bs));
}

// Blockwise absmax (float32) of a flat float array, as kQuantizeBlockwise.
at::Tensor block_absmax(const float* x, std::int64_t n, std::int64_t bs) {
  const std::int64_t blocks = (n + bs - 1) / bs;
  at::Tensor absmax = at::empty({blocks}, at::kFloat);
  float* a = absmax.data_ptr<float>();
  at::parallel_for(0, blocks, 256, [&](std::int64_t b0, std::int64_t b1) {
    for (std::int64_t b = b0; b < b1; ++b) {
      float m = 0.f;
      for (std::int64_t i = b * bs, e = std::min(n, i + bs); i < e; ++i) m = std::fmax(m, std::fabs(x[i]));
      a[b] = m;
    }
  });
  return absmax;
}

}  // namespace

at::Tensor quantize_4bit(const at::Tensor& w, const std::string& quant_type, std::int64_t blocksize,
                         bool double_quant, QuantState4& st) {
  check_blocksize(blocksize);
  if (!at::isFloatingType(w.scalar_type()))
    throw Error(ErrorCode::InvalidArgument, "4-bit quantisation needs a floating tensor");
  const auto& code = code_4bit(quant_type);
  at::Tensor x = w.to(at::kFloat).contiguous();
  const std::int64_t n = x.numel();
  const float* xp = x.data_ptr<float>();
  at::Tensor absmax = block_absmax(xp, n, blocksize);
  const float* am = absmax.data_ptr<float>();
  at::Tensor packed = at::empty({(n + 1) / 2, 1}, at::kByte);
  std::uint8_t* out = packed.data_ptr<std::uint8_t>();
  auto q = quant_type == "nf4" ? &quantize_nf4_value : &quantize_fp4_value;
  const std::int64_t bytes = (n + 1) / 2;
  at::parallel_for(0, bytes, 4096, [&](std::int64_t j0, std::int64_t j1) {
    for (std::int64_t j = j0; j < j1; ++j) {
      const std::int64_t i = 2 * j;
      const float inv = 1.0f / am[i / blocksize];  // blocksize is even: a pair shares its block
      // An odd last element is paired with a 0.0 pad, as the kernel loads one.
      const float second = i + 1 < n ? xp[i + 1] : 0.0f;
      out[j] = static_cast<std::uint8_t>((q(xp[i] * inv) << 4) | q(second * inv));
    }
  });
  st = QuantState4{};
  st.quant_type = quant_type;
  st.blocksize = blocksize;
  switch (w.scalar_type()) {
    case at::kFloat: st.dtype = "float32"; break;
    case at::kBFloat16: st.dtype = "bfloat16"; break;
    case at::kHalf: st.dtype = "float16"; break;
    default: st.dtype = "float64";
  }
  st.shape = w.sizes().vec();
  st.quant_map = at::tensor(at::ArrayRef<float>(code.data(), 16));
  if (!double_quant) {
    st.absmax = absmax;
    return packed;
  }
  // offset = absmax.mean(); absmax -= offset; quantize_blockwise(absmax, blocksize=256).
  at::Tensor offset = at::mean(absmax);
  at::Tensor centred = (absmax - offset).contiguous();
  const std::int64_t blocks = centred.numel();
  const float* c = centred.data_ptr<float>();
  at::Tensor absmax2 = block_absmax(c, blocks, 256);
  const float* a2 = absmax2.data_ptr<float>();
  at::Tensor qabs = at::empty({blocks}, at::kByte);
  std::uint8_t* qa = qabs.data_ptr<std::uint8_t>();
  const auto& dyn = dynamic_map();
  for (std::int64_t i = 0; i < blocks; ++i) qa[i] = quantize_dynamic_value(dyn, c[i] * (1.0f / a2[i / 256]));
  st.nested = true;
  st.absmax = qabs;
  st.nested_absmax = absmax2;
  st.nested_quant_map = at::tensor(at::ArrayRef<float>(dyn.data(), 256));
  st.offset = offset.item<float>();
  return packed;
}

at::Tensor absmax_float(const QuantState4& st) {
  if (!st.nested) return st.absmax.to(at::kFloat).contiguous();
  at::Tensor q = st.absmax.contiguous();
  at::Tensor a2 = st.nested_absmax.to(at::kFloat).contiguous();
  at::Tensor code = st.nested_quant_map.to(at::kFloat).contiguous();
  if (q.scalar_type() != at::kByte || code.numel() != 256)
    throw Error(ErrorCode::CorruptFile, "nested absmax must be uint8 with a 256-entry nested_quant_map");
  const std::int64_t n = q.numel();
  if (a2.numel() * st.nested_blocksize < n)
    throw Error(ErrorCode::CorruptFile, "nested_absmax has too few blocks");
  at::Tensor out = at::empty({n}, at::kFloat);
  const std::uint8_t* qp = q.data_ptr<std::uint8_t>();
  const float *ap = a2.data_ptr<float>(), *cp = code.data_ptr<float>();
  float* o = out.data_ptr<float>();
  // dequantize_blockwise: code[q]·absmax2[i/256]; then absmax += offset (float32).
  for (std::int64_t i = 0; i < n; ++i) o[i] = cp[qp[i]] * ap[i / st.nested_blocksize];
  for (std::int64_t i = 0; i < n; ++i) o[i] = o[i] + st.offset;
  return out;
}

at::Tensor dequantize_4bit(const at::Tensor& packed, const QuantState4& st, c10::ScalarType dtype) {
  const std::int64_t n = st.numel(), bs = st.blocksize;
  at::Tensor p = packed.contiguous();
  at::Tensor absmax = absmax_float(st);
  if (p.scalar_type() != at::kByte || p.numel() != (n + 1) / 2 || absmax.numel() != (n + bs - 1) / bs)
    throw Error(ErrorCode::CorruptFile, "packed 4-bit weight does not match its quant_state");
  const auto& code = code_4bit(st.quant_type);
  at::Tensor out = at::empty({n}, at::kFloat);
  const std::uint8_t* pp = p.data_ptr<std::uint8_t>();
  const float* am = absmax.data_ptr<float>();
  float* o = out.data_ptr<float>();
  at::parallel_for(0, n, 16384, [&](std::int64_t i0, std::int64_t i1) {
    for (std::int64_t i = i0; i < i1; ++i) {
      const std::uint8_t byte = pp[i / 2];
      const int c = (i % 2 == 0) ? (byte >> 4) : (byte & 0xF);
      o[i] = code[c] * am[i / bs];
    }
  });
  return out.view(st.shape).to(dtype);
}

Int8Weight quantize_int8_rows(const at::Tensor& w) {
  if (w.dim() != 2 || !at::isFloatingType(w.scalar_type()))
    throw Error(ErrorCode::InvalidArgument, "8-bit quantisation needs a 2-D floating weight");
  at::Tensor x = w.to(at::kFloat).contiguous();
  const std::int64_t rows = x.size(0), cols = x.size(1);
  Int8Weight r{at::empty({rows, cols}, at::kChar), at::empty({rows}, at::kFloat)};
  const float* xp = x.data_ptr<float>();
  std::int8_t* cb = r.CB.data_ptr<std::int8_t>();
  float* scb = r.SCB.data_ptr<float>();
  at::parallel_for(0, rows, 16, [&](std::int64_t r0, std::int64_t r1) {
    for (std::int64_t i = r0; i < r1; ++i) {
      const float* row = xp + i * cols;
      float m = 0.f;
      for (std::int64_t k = 0; k < cols; ++k) m = std::fmax(m, std::fabs(row[k]));
      scb[i] = m;
      // torch.round(A * (127.0 / row_stats)): round half to even.
      const float scale = 127.0f / m;
      for (std::int64_t k = 0; k < cols; ++k) {
        float v = std::nearbyint(row[k] * scale);
        cb[i * cols + k] = std::isfinite(v) ? static_cast<std::int8_t>(v) : 0;
      }
    }
  });
  return r;
}

at::Tensor dequantize_int8_rows(const at::Tensor& CB, const at::Tensor& SCB) {
  return CB.to(at::kFloat) * SCB.to(at::kFloat).view({-1, 1}) * 7.874015718698502e-3;
}

std::string quant_state_key(const std::string& quant_type) { return "quant_state.bitsandbytes__" + quant_type; }

std::string quant_state_json(const QuantState4& st) {
  std::string s = "{\"quant_type\": \"" + st.quant_type + "\", \"blocksize\": " + std::to_string(st.blocksize) +
                  ", \"dtype\": \"" + st.dtype + "\", \"shape\": [";
  for (std::size_t i = 0; i < st.shape.size(); ++i) s += (i ? ", " : "") + std::to_string(st.shape[i]);
  s += "]";
  if (st.nested)
    s += ", \"nested_blocksize\": " + std::to_string(st.nested_blocksize) + ", \"nested_dtype\": \"" +
         st.nested_dtype + "\", \"nested_offset\": " + python_float_repr(static_cast<double>(st.offset));
  return s + "}";
}

at::Tensor pack_quant_state(const QuantState4& st) {
  std::string s = quant_state_json(st);
  at::Tensor t = at::empty({static_cast<std::int64_t>(s.size())}, at::kByte);
  std::memcpy(t.data_ptr<std::uint8_t>(), s.data(), s.size());
  return t;
}

void unpack_quant_state(const at::Tensor& packed, const std::string& key, QuantState4& st) {
  at::Tensor t = packed.contiguous();
  if (t.scalar_type() != at::kByte) throw Error(ErrorCode::CorruptFile, "quant_state must be uint8", key);
  std::string text(reinterpret_cast<const char*>(t.data_ptr<std::uint8_t>()), static_cast<std::size_t>(t.numel()));
  auto j = parse_json(text, key, static_cast<int>(ErrorCode::CorruptFile));
  try {
    st.quant_type = j.at("quant_type").get<std::string>();
    st.blocksize = j.at("blocksize").get<std::int64_t>();
    st.dtype = j.at("dtype").get<std::string>();
    st.shape = j.at("shape").get<std::vector<std::int64_t>>();
    st.nested = j.contains("nested_blocksize");
    if (st.nested) {
      st.nested_blocksize = j.at("nested_blocksize").get<std::int64_t>();
      st.nested_dtype = j.at("nested_dtype").get<std::string>();
      st.offset = static_cast<float>(j.at("nested_offset").get<double>());
    }
  } catch (const nlohmann::json::exception& e) {
    throw Error(ErrorCode::CorruptFile, std::string("bad quant_state: ") + e.what(), key);
  }
  code_4bit(st.quant_type);  // validates the type
  check_blocksize(st.blocksize);
  if (st.nested && st.nested_blocksize <= 0)
    throw Error(ErrorCode::CorruptFile, "bad nested_blocksize", key);
  for (auto d : st.shape)
    if (d < 0) throw Error(ErrorCode::CorruptFile, "negative quant_state shape", key);
}

}  // namespace lathe::quant
