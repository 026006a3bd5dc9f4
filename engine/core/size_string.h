// Byte sizes as users write them: "5GB" (10^9), "5GiB" (2^30), "300kB", "100KB",
// "1.5GB", "10Gb" (bits, as accelerate reads a trailing lowercase b), or plain bytes.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace lathe {

/// Throws Error(InvalidArgument) naming the text when it is not a size.
std::uint64_t parse_size(std::string_view text);

/// "1.23 GiB"-style rendering for humans (binary units).
std::string format_bytes(std::uint64_t bytes);

}  // namespace lathe
