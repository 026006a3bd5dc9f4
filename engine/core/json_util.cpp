#include "core/json_util.h"

#include "core/error.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <algorithm>
#include <vector>

namespace lathe {

std::size_t json_nesting_depth(std::string_view text, std::size_t stop_at) {
  std::size_t depth = 0, deepest = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > deepest && (deepest = depth) > stop_at) return deepest;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return deepest;
}

namespace {
template <class Json>
Json parse_bounded(std::string_view text, const std::string& context, int error_code_value) {
  // nlohmann's values copy and compare recursively: a hostile 300k-deep
  // document would overflow the stack long after parsing. Python's json stops
  // near 1000 levels (RecursionError); no real config comes close.
  if (json_nesting_depth(text, kMaxJsonDepth) > kMaxJsonDepth)
    throw Error(static_cast<ErrorCode>(error_code_value),
                "not valid JSON (nested deeper than " + std::to_string(kMaxJsonDepth) + " levels)", context);
  try {
    return Json::parse(text.begin(), text.end());
  } catch (const nlohmann::json::exception& e) {
    throw Error(static_cast<ErrorCode>(error_code_value),
                std::string("not valid JSON (") + e.what() + ")", context);
  }
}
}  // namespace

nlohmann::ordered_json parse_json(std::string_view text, const std::string& context,
                                  int error_code_value) {
  return parse_bounded<nlohmann::ordered_json>(text, context, error_code_value);
}

nlohmann::json parse_json_unordered(std::string_view text, const std::string& context, int error_code_value) {
  return parse_bounded<nlohmann::json>(text, context, error_code_value);
}

void append_json_string(std::string& out, const std::string& s, bool ensure_ascii) {
  out += '"';
  std::size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80 && ensure_ascii) {
      // Decode UTF-8 (validated by the parser) and escape as Python does.
      int len = (c >= 0xF0) ? 4 : (c >= 0xE0) ? 3 : 2;
      std::uint32_t cp = c & (0xFF >> (len + 1));
      for (int k = 1; k < len && i + static_cast<std::size_t>(k) < s.size(); ++k)
        cp = (cp << 6) | (static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]) & 0x3F);
      i += static_cast<std::size_t>(len);
      char b[16];
      if (cp >= 0x10000) {
        cp -= 0x10000;
        std::snprintf(b, sizeof b, "\\u%04x\\u%04x", 0xD800 + (cp >> 10), 0xDC00 + (cp & 0x3FF));
      } else {
        std::snprintf(b, sizeof b, "\\u%04x", cp);
      }
      out += b;
      continue;
    }
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default:
        if (c < 0x20) {
          char b[8];
          std::snprintf(b, sizeof b, "\\u%04x", c);
          out += b;
        } else {
          out += static_cast<char>(c);
        }
    }
    ++i;
  }
  out += '"';
}

std::string python_float_repr(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
  if (v == 0) return std::signbit(v) ? "-0.0" : "0.0";
  char buf[64];
  int prec = 1;
  for (; prec <= 17; ++prec) {
    std::snprintf(buf, sizeof buf, "%.*e", prec - 1, v);
    if (std::strtod(buf, nullptr) == v) break;
  }
  // buf = [-]d[.ddd]e[+-]XX
  std::string s(buf);
  bool neg = s[0] == '-';
  if (neg) s.erase(0, 1);
  auto epos = s.find('e');
  int exp10 = std::atoi(s.c_str() + epos + 1);
  std::string digits;
  for (std::size_t i = 0; i < epos; ++i)
    if (s[i] != '.') digits += s[i];
  while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
  std::string out;
  if (exp10 >= -4 && exp10 < 16) {
    if (exp10 >= 0) {
      std::string ip = digits.substr(0, std::min<std::size_t>(digits.size(), exp10 + 1));
      while (static_cast<int>(ip.size()) < exp10 + 1) ip += '0';
      std::string fp = digits.size() > static_cast<std::size_t>(exp10 + 1)
                           ? digits.substr(static_cast<std::size_t>(exp10 + 1))
                           : "0";
      out = ip + "." + fp;
    } else {
      out = "0." + std::string(static_cast<std::size_t>(-exp10 - 1), '0') + digits;
    }
  } else {
    out = digits.substr(0, 1);
    if (digits.size() > 1) out += "." + digits.substr(1);
    char e[16];
    std::snprintf(e, sizeof e, "e%c%02d", exp10 < 0 ? '-' : '+', std::abs(exp10));
    out += e;
  }
  return neg ? "-" + out : out;
}

namespace {

void dump_string(const std::string& s, std::string& out) { append_json_string(out, s, true); }

void dump_value(const nlohmann::ordered_json& v, bool sort_keys, int indent, int level,
                std::string& out) {
  auto newline = [&](int lvl) {
    out += '\n';
    out.append(static_cast<std::size_t>(indent * lvl), ' ');
  };
  switch (v.type()) {
    case nlohmann::json::value_t::null: out += "null"; break;
    case nlohmann::json::value_t::boolean: out += v.get<bool>() ? "true" : "false"; break;
    case nlohmann::json::value_t::number_integer: out += std::to_string(v.get<std::int64_t>()); break;
    case nlohmann::json::value_t::number_unsigned: out += std::to_string(v.get<std::uint64_t>()); break;
    case nlohmann::json::value_t::number_float: out += python_float_repr(v.get<double>()); break;
    case nlohmann::json::value_t::string: dump_string(v.get_ref<const std::string&>(), out); break;
    case nlohmann::json::value_t::array: {
      if (v.empty()) {
        out += "[]";
        break;
      }
      out += '[';
      bool first = true;
      for (const auto& e : v) {
        if (!first) out += ',';
        if (indent > 0) newline(level + 1);
        else if (!first) out += ' ';
        first = false;
        dump_value(e, sort_keys, indent, level + 1, out);
      }
      if (indent > 0) newline(level);
      out += ']';
      break;
    }
    case nlohmann::json::value_t::object: {
      if (v.empty()) {
        out += "{}";
        break;
      }
      std::vector<const std::string*> keys;
      for (auto it = v.begin(); it != v.end(); ++it) keys.push_back(&it.key());
      if (sort_keys)
        std::sort(keys.begin(), keys.end(), [](auto a, auto b) { return *a < *b; });
      out += '{';
      bool first = true;
      for (const auto* k : keys) {
        if (!first) out += ',';
        if (indent > 0) newline(level + 1);
        else if (!first) out += ' ';
        first = false;
        dump_string(*k, out);
        out += ": ";
        dump_value(v.at(*k), sort_keys, indent, level + 1, out);
      }
      if (indent > 0) newline(level);
      out += '}';
      break;
    }
    default: out += "null"; break;
  }
}

}  // namespace

std::string dump_python_json(const nlohmann::ordered_json& value, bool sort_keys, int indent) {
  std::string out;
  dump_value(value, sort_keys, indent, 0, out);
  out += '\n';
  return out;
}

}  // namespace lathe
