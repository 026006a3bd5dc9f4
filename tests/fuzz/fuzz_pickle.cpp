// Fuzz target: the restricted unpickler, both entry points on every input:
// read_state_dict_pickle (a zip archive's data.pkl) and parse_legacy_torch_bin
// (a whole legacy torch.save file), with the default limits and with tight
// ones (so small inputs reach the limit checks too).
#include "fuzz_common.h"

#include "core/dtype.h"
#include "core/error.h"
#include "io/pickle_reader.h"

#include <cstddef>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace {

// A tensor promises to lie inside its storage record.
void check_tensors(const std::vector<lathe::PickleTensor>& tensors, std::size_t max_dims) {
  std::map<std::string, std::pair<lathe::DType, std::uint64_t>> storages;
  for (const auto& t : tensors) {
    LATHE_FUZZ_CHECK(t.shape.size() == t.stride.size());
    LATHE_FUZZ_CHECK(t.shape.size() <= max_dims);
    LATHE_FUZZ_CHECK(t.storage_offset >= 0);
    LATHE_FUZZ_CHECK(!t.storage.empty());
    auto [it, fresh] = storages.emplace(t.storage, std::make_pair(t.dtype, t.storage_numel));
    if (!fresh) {
      LATHE_FUZZ_CHECK(it->second.first == t.dtype);
      LATHE_FUZZ_CHECK(it->second.second == t.storage_numel);
    }
    std::uint64_t byte_size = 0;
    LATHE_FUZZ_CHECK(!__builtin_mul_overflow(t.storage_numel, lathe::dtype_size(t.dtype), &byte_size));
    bool empty = false;
    std::uint64_t last = static_cast<std::uint64_t>(t.storage_offset);
    for (std::size_t i = 0; i < t.shape.size(); ++i) {
      LATHE_FUZZ_CHECK(t.shape[i] >= 0 && t.stride[i] >= 0);
      if (t.shape[i] == 0) empty = true;
      std::uint64_t step = 0;
      LATHE_FUZZ_CHECK(!__builtin_mul_overflow(
          static_cast<std::uint64_t>(t.shape[i] > 0 ? t.shape[i] - 1 : 0),
          static_cast<std::uint64_t>(t.stride[i]), &step));
      LATHE_FUZZ_CHECK(!__builtin_add_overflow(last, step, &last));
    }
    if (empty)
      LATHE_FUZZ_CHECK(static_cast<std::uint64_t>(t.storage_offset) <= t.storage_numel);
    else
      LATHE_FUZZ_CHECK(last < t.storage_numel);
  }
}

void run(const std::uint8_t* data, std::size_t size, const lathe::PickleLimits& limits) {
  try {
    std::size_t consumed = 0;
    auto tensors = lathe::read_state_dict_pickle(data, size, "fuzz.pkl", &consumed, limits);
    LATHE_FUZZ_CHECK(consumed >= 1 && consumed <= size);
    LATHE_FUZZ_CHECK(data[consumed - 1] == '.');  // STOP
    check_tensors(tensors, limits.max_dims);
  } catch (const lathe::Error&) {
  }
  try {
    lathe::LegacyTorchBin bin = lathe::parse_legacy_torch_bin(data, size, "fuzz.bin", limits);
    check_tensors(bin.tensors, limits.max_dims);
    // Every storage record lies inside the buffer, in file order, without overlap,
    // and every tensor's storage has exactly one record.
    std::set<std::string> keys;
    std::uint64_t prev_end = 0;
    for (const auto& s : bin.storages) {
      LATHE_FUZZ_CHECK(keys.insert(s.key).second);
      std::uint64_t bytes = 0;
      LATHE_FUZZ_CHECK(!__builtin_mul_overflow(s.numel, lathe::dtype_size(s.dtype), &bytes));
      LATHE_FUZZ_CHECK(s.data_offset >= prev_end + 8);
      LATHE_FUZZ_CHECK(s.data_offset <= size && bytes <= size - s.data_offset);
      prev_end = s.data_offset + bytes;
    }
    for (const auto& t : bin.tensors) LATHE_FUZZ_CHECK(keys.count(t.storage) == 1);
  } catch (const lathe::Error&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  run(data, size, lathe::PickleLimits());
  lathe::PickleLimits tight;
  tight.max_stack = 16;
  tight.max_memo = 16;
  tight.max_objects = 64;
  tight.max_depth = 4;
  tight.max_dims = 3;
  run(data, size, tight);
  return 0;
}
