#include "text/decoders.h"

namespace lathe::text {

namespace {

void replace_all(std::string& s, std::string_view from, std::string_view to) {
  if (from.empty()) return;  // Rust's str::replace with "" inserts everywhere; no file uses it
  std::string out;
  std::size_t last = 0;
  for (std::size_t at = s.find(from); at != std::string::npos; at = s.find(from, last)) {
    out.append(s, last, at - last);
    out.append(to);
    last = at + from.size();
  }
  out.append(s, last, std::string::npos);
  s = std::move(out);
}

// decoders/wordpiece.rs cleanup(), used by CTC.
std::string cleanup(std::string s) {
  static const std::pair<const char*, const char*> kRules[] = {
      {" .", "."}, {" ?", "?"}, {" !", "!"}, {" ,", ","}, {" ' ", "'"}, {" n't", "n't"},
      {" 'm", "'m"}, {" do not", " don't"}, {" 's", "'s"}, {" 've", "'ve"}, {" 're", "'re"}};
  for (const auto& [from, to] : kRules) replace_all(s, from, to);
  return s;
}

std::size_t get_size_or(const Json& j, const char* key, const std::string& where, std::size_t dflt) {
  if (!has_field(j, key)) return dflt;
  const Json& v = j.at(key);
  if (!v.is_number_unsigned()) config_error(where + "." + key, "expected a non-negative integer");
  return static_cast<std::size_t>(v.get<std::uint64_t>());
}

// u8::from_str_radix(s, 16) on two characters: an optional '+' then hex digits.
int parse_hex_byte(std::string_view s) {
  if (s.empty()) return -1;
  if (s[0] == '+') s.remove_prefix(1);
  if (s.empty()) return -1;
  int v = 0;
  for (char c : s) {
    int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
    if (d < 0) return -1;
    v = v * 16 + d;
  }
  return v;
}

}  // namespace

std::vector<std::string> ByteFallbackDecoder::decode_chain(std::vector<std::string> tokens) const {
  std::vector<std::string> out;
  std::string bytes;
  auto flush = [&] {
    if (bytes.empty()) return;
    if (utf8_valid(bytes)) out.push_back(bytes);
    else out.insert(out.end(), bytes.size(), "\xEF\xBF\xBD");
    bytes.clear();
  };
  for (auto& t : tokens) {
    // A 6-byte "<0x..>" whose two middle characters parse as a hex byte.
    if (t.size() == 6 && t.compare(0, 3, "<0x") == 0 && t[5] == '>') {
      int b = parse_hex_byte(std::string_view(t).substr(3, 2));
      if (b >= 0) {
        bytes += static_cast<char>(b);
        continue;
      }
    }
    flush();
    out.push_back(std::move(t));
  }
  flush();
  return out;
}

std::vector<std::string> FuseDecoder::decode_chain(std::vector<std::string> tokens) const {
  std::string all;
  for (const auto& t : tokens) all += t;
  return {all};
}

StripDecoder::StripDecoder(const Json& j, const std::string& where) {
  std::string c = get_string(j, "content", where);
  if (c.empty() || !utf8_valid(c) || utf8_len(static_cast<unsigned char>(c[0])) != c.size())
    config_error(where + ".content", "expected a single character");
  content_ = utf8_decode(c, 0);
  start_ = get_size_or(j, "start", where, 0);
  stop_ = get_size_or(j, "stop", where, 0);
  field(j, "start", where);
  field(j, "stop", where);
}

std::vector<std::string> StripDecoder::decode_chain(std::vector<std::string> tokens) const {
  for (auto& t : tokens) {
    std::vector<std::pair<char32_t, std::size_t>> chars;  // (code point, byte offset)
    for (std::size_t k = 0; k < t.size(); k += utf8_len(static_cast<unsigned char>(t[k]))) chars.emplace_back(utf8_decode(t, k), k);
    std::size_t start_cut = 0, stop_cut = chars.size();
    for (std::size_t i = 0; i < start_ && i < chars.size() && chars[i].first == content_; ++i) start_cut = i + 1;
    for (std::size_t i = 0; i < stop_ && i < chars.size() && chars[chars.size() - 1 - i].first == content_; ++i)
      stop_cut = chars.size() - 1 - i;
    if (start_cut >= stop_cut) {
      t.clear();
      continue;
    }
    std::size_t b = chars[start_cut].second, e = stop_cut < chars.size() ? chars[stop_cut].second : t.size();
    t = t.substr(b, e - b);
  }
  return tokens;
}

ReplaceDecoder::ReplaceDecoder(const Json& j, const std::string& where)
    : regex_(make_pattern(field(j, "pattern", where), where + ".pattern")), content_(get_string(j, "content", where)) {}

std::vector<std::string> ReplaceDecoder::decode_chain(std::vector<std::string> tokens) const {
  for (auto& t : tokens) {
    std::string out;
    for (const auto& [o, is_match] : regex_->find_matches(t)) {
      if (is_match) out += content_;
      else out.append(t, o.first, o.second - o.first);
    }
    t = std::move(out);
  }
  return tokens;
}

BpeDecoder::BpeDecoder(const Json& j, const std::string& where) : suffix_(get_string_or(j, "suffix", where, "</w>")) {}

std::vector<std::string> BpeDecoder::decode_chain(std::vector<std::string> tokens) const {
  for (std::size_t i = 0; i < tokens.size(); ++i) replace_all(tokens[i], suffix_, i + 1 == tokens.size() ? "" : " ");
  return tokens;
}

CtcDecoder::CtcDecoder(const Json& j, const std::string& where)
    : pad_token_(get_string_or(j, "pad_token", where, "<pad>")),
      word_delimiter_token_(get_string_or(j, "word_delimiter_token", where, "|")),
      cleanup_(get_bool_or(j, "cleanup", where, true)) {}

std::vector<std::string> CtcDecoder::decode_chain(std::vector<std::string> tokens) const {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    if (i > 0 && tokens[i] == tokens[i - 1]) continue;  // itertools dedup
    std::string s = tokens[i];
    replace_all(s, pad_token_, "");
    if (cleanup_) {
      s = cleanup(std::move(s));
      replace_all(s, word_delimiter_token_, " ");
    }
    if (!s.empty()) out.push_back(std::move(s));
  }
  return out;
}

SequenceDecoder::SequenceDecoder(const Json& j, const std::string& where) {
  const Json& list = field(j, "decoders", where);
  if (!list.is_array()) config_error(where + ".decoders", "expected an array");
  for (std::size_t i = 0; i < list.size(); ++i)
    parts_.push_back(make_decoder(list[i], where + ".decoders[" + std::to_string(i) + "]"));
}

std::vector<std::string> SequenceDecoder::decode_chain(std::vector<std::string> tokens) const {
  for (const auto& d : parts_) tokens = d->decode_chain(std::move(tokens));
  return tokens;
}

}  // namespace lathe::text
