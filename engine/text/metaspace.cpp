#include "text/metaspace.h"

namespace lathe::text {

namespace {
std::vector<char32_t> code_points(std::string_view s) {
  std::vector<char32_t> out;
  for (std::size_t i = 0; i < s.size(); i += utf8_len(static_cast<unsigned char>(s[i]))) out.push_back(utf8_decode(s, i));
  return out;
}
}  // namespace

MetaspaceOptions::MetaspaceOptions(const Json& j, const std::string& where) {
  std::string rep = get_string(j, "replacement", where);
  if (!utf8_valid(rep) || code_points(rep).size() != 1)
    config_error(where + ".replacement", "expected a single character");
  replacement = utf8_decode(rep, 0);
  str_rep = rep;
  bool has_scheme = has_field(j, "prepend_scheme");
  if (has_scheme) {
    std::string s = get_string(j, "prepend_scheme", where);
    if (s == "first") prepend_scheme = PrependScheme::First;
    else if (s == "never") prepend_scheme = PrependScheme::Never;
    else if (s == "always") prepend_scheme = PrependScheme::Always;
    else config_error(where + ".prepend_scheme", "expected \"first\", \"never\" or \"always\"");
  }
  if (has_field(j, "add_prefix_space") && !get_bool_or(j, "add_prefix_space", where, true)) {
    // The crate refuses add_prefix_space false with another declared scheme.
    if (has_scheme && prepend_scheme != PrependScheme::Never)
      config_error(where + ".add_prefix_space", "add_prefix_space does not match declared prepend_scheme");
    prepend_scheme = PrependScheme::Never;
  }
  split = get_bool_or(j, "split", where, true);
  if (j.contains("str_rep") && !j.at("str_rep").is_null() && !j.at("str_rep").is_string())
    config_error(where + ".str_rep", "expected a string");
}

std::vector<std::pair<Offsets, bool>> find_literal(std::string_view s, std::string_view needle) {
  std::vector<std::pair<Offsets, bool>> out;
  std::size_t last = 0;
  if (!needle.empty()) {
    for (std::size_t at = s.find(needle); at != std::string_view::npos; at = s.find(needle, at + needle.size())) {
      if (at > last) out.push_back({{last, at}, false});
      out.push_back({{at, at + needle.size()}, true});
      last = at + needle.size();
    }
  }
  if (last < s.size()) out.push_back({{last, s.size()}, false});
  return out;
}

void MetaspacePreTokenizer::pre_tokenize(std::vector<NormalizedPiece>& pieces) const {
  split_each(pieces, [&](NormalizedPiece& p, std::vector<NormalizedPiece>& out) {
    replace_matches(p, find_literal(p.text, " "), opt_.str_rep);
    bool starts = p.text.compare(0, opt_.str_rep.size(), opt_.str_rep) == 0;
    if (!starts && !p.text.empty()) {
      // First: only the piece that starts the input (offsets_original().0 == 0).
      if (opt_.prepend_scheme == PrependScheme::Always ||
          (opt_.prepend_scheme == PrependScheme::First && p.align[0].first == 0))
        p.prepend(opt_.str_rep);
    }
    if (opt_.split) split_piece(p, find_literal(p.text, opt_.str_rep), SplitBehavior::MergedWithNext, out);
    else if (!p.text.empty()) out.push_back(std::move(p));
  });
}

std::vector<std::string> MetaspaceDecoder::decode_chain(std::vector<std::string> tokens) const {
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    // The crate drops every replacement char of the first token (not only a
    // leading one) unless the scheme is "never".
    bool drop = i == 0 && opt_.prepend_scheme != PrependScheme::Never;
    std::string out;
    const std::string& t = tokens[i];
    for (std::size_t k = 0; k < t.size(); k += utf8_len(static_cast<unsigned char>(t[k]))) {
      char32_t c = utf8_decode(t, k);
      if (c == opt_.replacement) {
        if (!drop) out += ' ';
      } else {
        out.append(t, k, utf8_len(static_cast<unsigned char>(t[k])));
      }
    }
    tokens[i] = std::move(out);
  }
  return tokens;
}

}  // namespace lathe::text
