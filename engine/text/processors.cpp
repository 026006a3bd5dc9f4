#include "text/processors.h"

#include "core/error.h"
#include "text/byte_level.h"

#include <string>

namespace lathe::text {

void append_encoding(RawEncoding& a, RawEncoding&& b) {
  // Encoding::merge_with: every overflowing part of `a` with `b` and with each
  // of `b`'s, then `a` with each of `b`'s (nested overflowing kept, as there).
  if (!a.overflowing.empty() || !b.overflowing.empty()) {
    // Pairs multiply: every part of one with every part of the other.
    const double parts = static_cast<double>(a.overflowing.size() + 1) * static_cast<double>(b.overflowing.size() + 1);
    if (parts > static_cast<double>(kMaxOverflowEncodings))
      throw Error(ErrorCode::InvalidArgument,
                  "truncating this pair would produce " + std::to_string(static_cast<long long>(parts)) +
                      " overflowing encodings (more than " + std::to_string(kMaxOverflowEncodings) + ")",
                  "truncation");
    std::vector<RawEncoding> over;
    for (const auto& ao : a.overflowing) {
      over.push_back(ao);
      append_encoding(over.back(), RawEncoding(b));
      for (const auto& bo : b.overflowing) {
        over.push_back(ao);
        append_encoding(over.back(), RawEncoding(bo));
      }
    }
    for (const auto& bo : b.overflowing) {
      RawEncoding m = a;
      append_encoding(m, RawEncoding(bo));
      over.push_back(std::move(m));
    }
    a.overflowing = std::move(over);
  }
  auto cat = [](auto& x, auto& y) { x.insert(x.end(), std::make_move_iterator(y.begin()), std::make_move_iterator(y.end())); };
  cat(a.ids, b.ids);
  cat(a.tokens, b.tokens);
  cat(a.offsets, b.offsets);
  cat(a.type_ids, b.type_ids);
  cat(a.special_tokens_mask, b.special_tokens_mask);
  cat(a.attention_mask, b.attention_mask);
}

namespace {
RawEncoding merge_all(std::vector<RawEncoding>& encodings) {
  RawEncoding out;
  for (auto& e : encodings) append_encoding(out, std::move(e));
  return out;
}

// A special token (or a template's special-token piece): offsets (0, 0).
void push_special(RawEncoding& e, std::uint32_t id, const std::string& token, std::uint32_t type_id) {
  e.ids.push_back(id);
  e.tokens.push_back(token);
  e.offsets.emplace_back(0, 0);
  e.type_ids.push_back(type_id);
  e.special_tokens_mask.push_back(1);
  e.attention_mask.push_back(1);
}

std::pair<std::string, std::uint32_t> token_pair(const Json& j, const char* key, const std::string& where) {
  const Json& v = field(j, key, where);
  if (!v.is_array() || v.size() != 2 || !v[0].is_string() || !v[1].is_number_unsigned() ||
      v[1].get<std::uint64_t>() > 0xFFFFFFFFull)
    config_error(where + "." + key, "expected [\"token\", id]");
  return {v[0].get<std::string>(), static_cast<std::uint32_t>(v[1].get<std::uint64_t>())};
}
}  // namespace

void ListPostProcessor::process(RawEncoding& encoding, bool add_special_tokens) const {
  std::vector<RawEncoding> list;
  list.push_back(std::move(encoding));
  process_encodings(list, add_special_tokens);
  encoding = merge_all(list);
}

TemplateProcessing::TemplateProcessing(const Json& j, const std::string& where) {
  const Json& specials = field(j, "special_tokens", where);
  if (!specials.is_object()) config_error(where + ".special_tokens", "expected an object");
  for (auto it = specials.begin(); it != specials.end(); ++it) {
    std::string w = where + ".special_tokens." + it.key();
    const Json& s = it.value();
    if (!s.is_object()) config_error(w, "expected an object");
    Special sp;
    const Json& ids = field(s, "ids", w);
    const Json& toks = field(s, "tokens", w);
    if (!ids.is_array() || !toks.is_array()) config_error(w, "expected arrays \"ids\" and \"tokens\"");
    for (const auto& id : ids) {
      if (!id.is_number_unsigned() || id.get<std::uint64_t>() > 0xFFFFFFFFull) config_error(w + ".ids", "expected ids");
      sp.ids.push_back(static_cast<std::uint32_t>(id.get<std::uint64_t>()));
    }
    for (const auto& t : toks) {
      if (!t.is_string()) config_error(w + ".tokens", "expected strings");
      sp.tokens.push_back(t.get<std::string>());
    }
    if (sp.ids.size() != sp.tokens.size()) config_error(w, "\"ids\" and \"tokens\" differ in length");
    special_[get_string(s, "id", w)] = std::move(sp);
  }
  single_ = parse_template(field(j, "single", where), where + ".single");
  pair_ = parse_template(field(j, "pair", where), where + ".pair");
}

std::vector<TemplateProcessing::Piece> TemplateProcessing::parse_template(const Json& t, const std::string& where) const {
  if (!t.is_array()) config_error(where, "expected an array of pieces");
  std::vector<Piece> out;
  for (std::size_t i = 0; i < t.size(); ++i) {
    std::string w = where + "[" + std::to_string(i) + "]";
    const Json& p = t[i];
    if (!p.is_object() || p.size() != 1) config_error(w, "expected {\"Sequence\": ...} or {\"SpecialToken\": ...}");
    Piece piece;
    const Json* body = nullptr;
    if (p.contains("Sequence")) {
      piece.is_sequence = true;
      body = &p["Sequence"];
    } else if (p.contains("SpecialToken")) {
      body = &p["SpecialToken"];
    } else {
      config_error(w, "expected {\"Sequence\": ...} or {\"SpecialToken\": ...}");
    }
    std::string bw = w + (piece.is_sequence ? ".Sequence" : ".SpecialToken");
    if (!body->is_object()) config_error(bw, "expected an object");
    piece.id = get_string(*body, "id", bw);
    piece.type_id = get_u32(*body, "type_id", bw);
    if (piece.is_sequence && piece.id != "A" && piece.id != "B") config_error(bw + ".id", "expected \"A\" or \"B\"");
    if (!piece.is_sequence && !special_.count(piece.id))
      config_error(bw + ".id", "special token \"" + piece.id + "\" is not in special_tokens");
    out.push_back(std::move(piece));
  }
  return out;
}

void TemplateProcessing::process_encodings(std::vector<RawEncoding>& encodings, bool add_special_tokens) const {
  const auto& tmpl = encodings.size() >= 2 ? pair_ : single_;
  RawEncoding out;
  for (const Piece& p : tmpl) {
    if (p.is_sequence) {
      std::size_t i = p.id == "A" ? 0 : 1;
      if (i >= encodings.size()) continue;
      RawEncoding e = encodings[i];  // a piece may name a sequence twice
      e.type_ids.assign(e.ids.size(), p.type_id);
      append_encoding(out, std::move(e));
    } else if (add_special_tokens) {
      const Special& s = special_.at(p.id);
      RawEncoding sp;
      for (std::size_t k = 0; k < s.ids.size(); ++k) push_special(sp, s.ids[k], s.tokens[k], p.type_id);
      append_encoding(out, std::move(sp));  // reaches the overflowing parts too
    }
  }
  encodings.clear();
  encodings.push_back(std::move(out));
}

BertProcessing::BertProcessing(const Json& j, const std::string& where, bool roberta) : roberta_(roberta) {
  sep_ = token_pair(j, "sep", where);
  cls_ = token_pair(j, "cls", where);
  if (roberta_) {
    trim_offsets_ = get_bool_or(j, "trim_offsets", where, true);
    add_prefix_space_ = get_bool_or(j, "add_prefix_space", where, true);
    Json bl = {{"type", "ByteLevel"}, {"add_prefix_space", add_prefix_space_}, {"trim_offsets", true}};
    trim_ = std::make_unique<ByteLevelPostProcessor>(bl, where);
  }
}

void BertProcessing::process_encodings(std::vector<RawEncoding>& encodings, bool add_special_tokens) const {
  if (roberta_) {
    for (auto& e : encodings) {
      if (trim_offsets_) trim_->process(e, add_special_tokens);
      e.type_ids.assign(e.ids.size(), 0);  // "Roberta is weird, and every encoding is type_id=0"
    }
  }
  if (!add_special_tokens) return;
  // Each encoding and each of its overflowing parts is wrapped on its own
  // (processors/bert.rs, roberta.rs), then they are merged.
  auto wrap = [&](RawEncoding&& e, std::size_t i) {
    RawEncoding w;
    if (i == 0) {
      push_special(w, cls_.second, cls_.first, 0);
      append_encoding(w, std::move(e));
      push_special(w, sep_.second, sep_.first, 0);
    } else {
      std::uint32_t type = roberta_ ? 0 : 1;
      if (roberta_) push_special(w, sep_.second, sep_.first, 0);
      append_encoding(w, std::move(e));
      push_special(w, sep_.second, sep_.first, type);
    }
    if (roberta_) w.type_ids.assign(w.ids.size(), 0);  // overflowing parts too, once wrapped
    return w;
  };
  RawEncoding out;
  for (std::size_t i = 0; i < encodings.size(); ++i) {
    std::vector<RawEncoding> over = std::move(encodings[i].overflowing);
    encodings[i].overflowing.clear();
    RawEncoding w = wrap(std::move(encodings[i]), i);
    for (auto& o : over) {
      o.overflowing.clear();
      w.overflowing.push_back(wrap(std::move(o), i));
    }
    append_encoding(out, std::move(w));
  }
  encodings.clear();
  encodings.push_back(std::move(out));
}

SequencePostProcessor::SequencePostProcessor(const Json& j, const std::string& where) {
  const Json& list = field(j, "processors", where);
  if (!list.is_array()) config_error(where + ".processors", "expected an array");
  for (std::size_t i = 0; i < list.size(); ++i)
    parts_.push_back(make_post_processor(list[i], where + ".processors[" + std::to_string(i) + "]"));
}

void SequencePostProcessor::process(RawEncoding& encoding, bool add_special_tokens) const {
  std::vector<RawEncoding> list;
  list.push_back(std::move(encoding));
  process_encodings(list, add_special_tokens);
  encoding = merge_all(list);
}

void SequencePostProcessor::process_encodings(std::vector<RawEncoding>& encodings, bool add_special_tokens) const {
  for (const auto& p : parts_) p->process_encodings(encodings, add_special_tokens);
}

}  // namespace lathe::text
