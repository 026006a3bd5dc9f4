// Fuzz target: ZipArchive over the input bytes; for every entry the data
// accessor and the CRC check; an entry named .../data.pkl also goes through
// the unpickler, as a .bin load does.
#include "fuzz_common.h"

#include "core/error.h"
#include "io/pickle_reader.h"
#include "io/zip_reader.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace {

bool ends_with(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  (void)lathe::looks_like_zip(data, size);
  try {
    lathe::ZipArchive zip(data, size, "fuzz.zip");
    for (const auto& e : zip.entries()) {
      LATHE_FUZZ_CHECK(zip.find(e.name) == &e);
      LATHE_FUZZ_CHECK(e.header_offset < size && e.data_offset <= size);
      LATHE_FUZZ_CHECK(e.compressed_size <= size - e.data_offset);
      try {
        std::string_view bytes = zip.stored_data(e);
        const auto* p = reinterpret_cast<const std::uint8_t*>(bytes.data());
        LATHE_FUZZ_CHECK(p >= data && bytes.size() <= size);
        LATHE_FUZZ_CHECK(static_cast<std::size_t>(p - data) <= size - bytes.size());
        zip.verify_crc(e);
        if (ends_with(e.name, "data.pkl")) {
          try {
            (void)lathe::read_state_dict_pickle(p, bytes.size(), e.name);
          } catch (const lathe::Error&) {
          }
        }
      } catch (const lathe::Error&) {
        // This entry is compressed, encrypted or corrupt: the others may still be readable.
      }
    }
    (void)zip.find("archive/data.pkl");
  } catch (const lathe::Error&) {
  }
  return 0;
}
