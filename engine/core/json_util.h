// JSON helpers shared by the engine (nlohmann::json behind a small API).
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace lathe {

/// Deepest nesting parse_json accepts.
inline constexpr std::size_t kMaxJsonDepth = 1000;
/// The deepest [ / { nesting of JSON text (strings skipped), counting stops
/// once it exceeds stop_at. Linear, no recursion.
std::size_t json_nesting_depth(std::string_view text, std::size_t stop_at);

/// Parses JSON text; throws Error(code) naming `context` on bad JSON or on
/// nesting deeper than kMaxJsonDepth.
nlohmann::ordered_json parse_json(std::string_view text, const std::string& context,
                                  int error_code_value);

/// parse_json into nlohmann::json (keys sorted, O(log n) per key): for large
/// objects whose key order does not matter (shard indexes' weight_map with
/// 100k entries), where ordered_json's linear key search makes parsing quadratic.
nlohmann::json parse_json_unordered(std::string_view text, const std::string& context, int error_code_value);

/// Python's json.dumps(obj, indent=2, sort_keys=True) + "\n" as transformers
/// writes config.json and shard indexes (ASCII-escaped, Python float repr).
std::string dump_python_json(const nlohmann::ordered_json& value, bool sort_keys = true,
                             int indent = 2);

/// Appends `s` as a JSON string literal: \" \\ \b \f \n \r \t, other control
/// characters as \u00xx. ensure_ascii (Python's default) also escapes non-ASCII
/// as \uXXXX (surrogate pairs above U+FFFF); otherwise UTF-8 is written raw (serde_json).
void append_json_string(std::string& out, const std::string& s, bool ensure_ascii);

/// Python repr() of a double: shortest round-trip digits, "1e-05", "0.1", "500000.0".
std::string python_float_repr(double v);

}  // namespace lathe
