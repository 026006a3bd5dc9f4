// lathe::Tokenizer: added tokens (add_tokens as the Rust library's
// AddedVocabulary::add_tokens), special-token accessors, transformers'
// clean_up_tokenization and save() (transformers' fast save_pretrained).
#include "core/error.h"
#include "core/file_util.h"
#include "core/json_util.h"
#include "text/tokenizer_impl.h"

#include <algorithm>
#include <map>
#include <unordered_map>

namespace lathe {

using text::Json;

namespace {

bool same_token(const AddedTokenSpec& a, const AddedTokenSpec& b) {
  return a.content == b.content && a.special == b.special && a.normalized.value_or(!a.special) == b.normalized.value_or(!b.special) &&
         a.lstrip == b.lstrip && a.rstrip == b.rstrip && a.single_word == b.single_word;
}

Json added_token_json(std::uint32_t id, const AddedTokenSpec& t) {
  return Json{{"id", id},         {"content", t.content},         {"single_word", t.single_word}, {"lstrip", t.lstrip},
              {"rstrip", t.rstrip}, {"normalized", t.normalized.value_or(!t.special)}, {"special", t.special}};
}

}  // namespace

void refresh_normalized_added(Tokenizer::Impl& impl) {
  impl.normalized_added.clear();
  if (!impl.normalizer) return;
  for (const auto& a : impl.added->tokens()) {
    if (!a.normalized) continue;
    text::NormalizedPiece p = text::NormalizedPiece::from_original(a.content, 0, a.content.size());
    impl.normalizer->normalize(p);
    if (p.text != a.content) impl.normalized_added[a.id] = p.text;
  }
}

std::vector<std::pair<std::uint32_t, AddedTokenSpec>> Tokenizer::added_tokens() const {
  std::vector<std::pair<std::uint32_t, AddedTokenSpec>> out;
  for (const auto& a : impl_->added->tokens()) {
    AddedTokenSpec s;
    s.content = a.content;
    s.special = a.special;
    s.normalized = a.normalized;
    s.lstrip = a.lstrip;
    s.rstrip = a.rstrip;
    s.single_word = a.single_word;
    out.emplace_back(a.id, std::move(s));
  }
  std::sort(out.begin(), out.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
  return out;
}

std::size_t Tokenizer::add_tokens(const std::vector<std::string>& tokens, bool special) {
  std::vector<AddedTokenSpec> specs;
  for (const auto& t : tokens) {
    AddedTokenSpec s;
    s.content = t;
    s.special = special;  // normalized = !special, as the bindings make AddedTokens from strings
    specs.push_back(std::move(s));
  }
  return add_token_specs(specs);
}

std::size_t Tokenizer::add_token_specs(const std::vector<AddedTokenSpec>& tokens) {
  // The Rust library's AddedVocabulary::add_tokens.
  std::map<std::uint32_t, AddedTokenSpec> by_id;
  std::unordered_map<std::string, std::uint32_t> by_content;
  for (auto& [id, t] : added_tokens()) {
    by_content[t.content] = id;
    by_id[id] = std::move(t);
  }
  const text::Model& model = *impl_->model;
  std::size_t ignored = 0;
  for (const auto& token : tokens) {
    if (!text::utf8_valid(token.content))
      throw Error(ErrorCode::InvalidArgument, "added token is not valid UTF-8", "add_tokens");
    bool dup = token.content.empty() ||
               std::any_of(by_id.begin(), by_id.end(), [&](const auto& e) { return same_token(e.second, token); });
    if (dup) {
      ++ignored;
      continue;
    }
    std::optional<std::uint32_t> id;
    if (auto it = by_content.find(token.content); it != by_content.end()) id = it->second;
    else id = model.token_to_id(token.content);
    if (!id) {
      std::uint32_t vs = static_cast<std::uint32_t>(model.vocab_size());
      std::optional<std::uint32_t> max;
      for (const auto& e : by_content) max = max ? std::max(*max, e.second) : e.second;
      id = !max ? vs : (*max >= vs || vs == 0) ? *max + 1 : vs;
    }
    by_content[token.content] = *id;
    by_id[*id] = token;
  }
  Json list = Json::array();
  for (const auto& [id, t] : by_id) list.push_back(added_token_json(id, t));
  auto impl = std::make_shared<Impl>(*impl_);
  impl->added = std::make_shared<const text::AddedVocabulary>(list, "added_tokens", impl->normalizer.get());
  refresh_normalized_added(*impl);
  impl_ = std::move(impl);
  return tokens.size() - ignored;
}

std::size_t Tokenizer::size() const {
  std::size_t n = impl_->model->vocab_size();
  for (const auto& a : impl_->added->tokens())
    if (!impl_->model->token_to_id(a.content)) ++n;
  return n;
}

void Tokenizer::set_post_processor(const std::string& json_text) {
  Json j = parse_json_unordered(json_text, "post_processor", static_cast<int>(ErrorCode::ConfigInvalid));
  auto impl = std::make_shared<Impl>(*impl_);
  if (j.is_null()) impl->post_processor.reset();
  else impl->post_processor = text::make_post_processor(j, "post_processor");
  auto doc = std::make_shared<Json>(*impl_->doc);
  (*doc)["post_processor"] = j;
  impl->doc = std::move(doc);
  impl_ = std::move(impl);
}

std::optional<std::string> Tokenizer::special_token(const std::string& name) const {
  for (const auto& [k, v] : settings_.special_tokens)
    if (k == name) return v;
  return std::nullopt;
}

std::optional<std::uint32_t> Tokenizer::special_token_id(const std::string& name) const {
  auto t = special_token(name);
  if (!t) return std::nullopt;
  return token_to_id(*t);
}

std::string clean_up_tokenization(std::string text) {
  static const std::pair<const char*, const char*> kReplacements[] = {
      {" .", "."}, {" ?", "?"}, {" !", "!"}, {" ,", ","}, {" ' ", "'"},
      {" n't", "n't"}, {" 'm", "'m"}, {" 's", "'s"}, {" 've", "'ve"}, {" 're", "'re"}};
  for (const auto& [from, to] : kReplacements) {  // Python's str.replace, one pattern after another
    std::string out;
    std::string_view f(from);
    std::size_t pos = 0;
    for (std::size_t hit; (hit = text.find(f, pos)) != std::string::npos; pos = hit + f.size()) {
      out.append(text, pos, hit - pos);
      out += to;
    }
    out.append(text, pos, std::string::npos);
    text = std::move(out);
  }
  return text;
}

}  // namespace lathe
