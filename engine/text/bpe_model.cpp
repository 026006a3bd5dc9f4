#include "text/bpe_model.h"

#include <algorithm>
#include <cstdio>
#include <mutex>

namespace lathe::text {

BpeModel::BpeModel(const Json& j, const std::string& where) {
  if (has_field(j, "dropout")) {
    const Json& d = j.at("dropout");
    if (!d.is_number()) config_error(where + ".dropout", "expected null or a number");
    config_error(where + ".dropout", "BPE dropout is not supported (encoding must be deterministic)");
  }
  if (has_field(j, "unk_token")) unk_token_ = get_string(j, "unk_token", where);
  prefix_ = get_string_or(j, "continuing_subword_prefix", where, "");
  suffix_ = get_string_or(j, "end_of_word_suffix", where, "");
  fuse_unk_ = get_bool_or(j, "fuse_unk", where, false);
  byte_fallback_ = get_bool_or(j, "byte_fallback", where, false);
  ignore_merges_ = get_bool_or(j, "ignore_merges", where, false);

  vocab_ = Vocab::from_json(j, where);

  const Json& merges_json = field(j, "merges", where);
  if (!merges_json.is_array()) config_error(where + ".merges", "expected an array");
  check_vocab_size(merges_json.size(), where + ".merges");
  std::unordered_map<std::uint64_t, MergeInfo> merges;
  merges.reserve(merges_json.size());
  std::uint32_t rank = 0;
  for (const Json& m : merges_json) {
    std::string a, b;
    std::string at = where + ".merges[" + std::to_string(rank) + "]";
    if (m.is_string()) {  // "a b"
      const std::string& s = m.get_ref<const std::string&>();
      auto sp = s.find(' ');
      if (sp == std::string::npos || s.find(' ', sp + 1) != std::string::npos)
        config_error(at, "expected \"a b\" (two tokens separated by one space)");
      a = s.substr(0, sp);
      b = s.substr(sp + 1);
    } else if (m.is_array() && m.size() == 2 && m[0].is_string() && m[1].is_string()) {  // ["a", "b"]
      a = m[0].get<std::string>();
      b = m[1].get<std::string>();
    } else {
      config_error(at, "expected \"a b\" or [\"a\", \"b\"]");
    }
    auto ia = vocab_.ids.find(a), ib = vocab_.ids.find(b);
    if (ia == vocab_.ids.end()) config_error(at, "merge names \"" + a + "\", which is not in the vocabulary");
    if (ib == vocab_.ids.end()) config_error(at, "merge names \"" + b + "\", which is not in the vocabulary");
    if (b.size() < prefix_.size()) config_error(at, "merge token shorter than continuing_subword_prefix");
    std::string merged = a + b.substr(prefix_.size());
    auto in = vocab_.ids.find(merged);
    if (in == vocab_.ids.end()) config_error(at, "merged token \"" + merged + "\" is not in the vocabulary");
    // A repeated pair: the crate collects into a HashMap, so the last rank wins.
    merges[pair_key(ia->second, ib->second)] = MergeInfo{rank, in->second};
    ++rank;
  }
  if (unk_token_ && !vocab_.ids.count(*unk_token_))
    config_error(where + ".unk_token", "\"" + *unk_token_ + "\" is not in the vocabulary");
  if (unk_token_) unk_id_ = vocab_.ids.at(*unk_token_);
  std::size_t cap = 16;
  merge_shift_ = 60;
  while (cap < merges.size() * 2) cap <<= 1, --merge_shift_;  // load factor <= 1/2
  merge_slots_.assign(cap, MergeSlot{});
  merge_mask_ = cap - 1;
  for (const auto& [key, info] : merges) {
    std::size_t i = (key * 0x9E3779B97F4A7C15ull) >> merge_shift_;
    while (merge_slots_[i].info.rank != kEmpty) i = (i + 1) & merge_mask_;
    merge_slots_[i] = MergeSlot{key, info};
  }
  index_.build(vocab_.ids);
  tokens_.build(vocab_.tokens);
  // Words split before U+2581 (Metaspace's "▁") when no merge can join it to
  // the char before: no merged token has another char (or a byte token's or
  // the unknown token's last char) right before a "▁".
  if (prefix_.empty() && suffix_.empty() && index_.find("\xE2\x96\x81") &&
      !(unk_token_ && unk_token_->size() >= 3 && unk_token_->compare(unk_token_->size() - 3, 3, "\xE2\x96\x81") == 0)) {
    split_at_metaspace_ = true;
    for (const auto& [key, info] : merges) {
      const std::string* t = tokens_.find(info.new_id);
      if (!t) continue;
      for (std::size_t p = t->find("\xE2\x96\x81", 1); p != std::string::npos; p = t->find("\xE2\x96\x81", p + 3)) {
        if (!(p >= 3 && t->compare(p - 3, 3, "\xE2\x96\x81") == 0)) {
          split_at_metaspace_ = false;
          break;
        }
      }
      if (!split_at_metaspace_) break;
    }
  }
  for (int c = 0; c < 128; ++c) {
    const char ch = static_cast<char>(c);
    const std::uint32_t* id = index_.find(std::string_view(&ch, 1));
    ascii_ids_[c] = id ? *id : kEmpty;
  }
  for (int b = 0; b < 256; ++b) {
    char code[8];
    std::snprintf(code, sizeof code, "<0x%02X>", b);
    if (auto* id = index_.find(code)) {
      byte_ids_[b] = *id;
      has_byte_[b] = true;
    }
  }
}

std::optional<std::uint32_t> BpeModel::token_to_id(const std::string& token) const { return vocab_.id_of(token); }

const std::string* BpeModel::id_to_token(std::uint32_t id) const { return tokens_.find(id); }

std::vector<Token> BpeModel::tokenize(std::string_view text) const {
  std::vector<Token> out;
  if (text.empty()) return out;
  if (ignore_merges_) {
    if (auto* id = index_.find(text)) {
      out.push_back({*id, std::string(text), {0, text.size()}});
      return out;
    }
  }
  // The crate's tokenize_with_cache: a word seen before is not merged again.
  thread_local Word word, part;
  thread_local std::string key;  // reused: no allocation per lookup
  word.clear();
  auto encode_part = [&](std::string_view seg) {
    const bool cacheable = seg.size() < kCacheMaxLength;
    if (cacheable) {
      key.assign(seg);
      std::shared_lock<std::shared_mutex> lock(cache_mu_, std::try_to_lock);
      if (lock.owns_lock()) {
        auto it = cache_.find(key);
        if (it != cache_.end()) {
          word.insert(word.end(), it->second.begin(), it->second.end());
          return;
        }
      }
    }
    merge_word(seg, part);
    word.insert(word.end(), part.begin(), part.end());
    if (cacheable) {
      std::unique_lock<std::shared_mutex> lock(cache_mu_, std::try_to_lock);
      if (lock.owns_lock() && cache_.size() < kCacheCapacity) cache_.emplace(key, part);
    }
  };
  if (!split_at_metaspace_) {
    encode_part(text);
  } else {
    // No merge joins a symbol ending in another char with one starting with
    // U+2581 (checked at load): the word is merged as independent parts, each
    // starting at such a U+2581 — what the crate gets for the whole word.
    static constexpr std::string_view kMeta = "\xE2\x96\x81";
    std::size_t start = 0;
    for (std::size_t p = text.find(kMeta, 1); p != std::string_view::npos; p = text.find(kMeta, p + kMeta.size())) {
      if (p >= kMeta.size() && text.substr(p - kMeta.size(), kMeta.size()) == kMeta) continue;
      encode_part(text.substr(start, p - start));
      start = p;
    }
    encode_part(text.substr(start));
  }
  // Offsets are running sums of the symbols' lengths (Word::get_chars_iter).
  out.reserve(word.size());
  std::size_t pos = 0;
  for (const auto& [id, len] : word) {
    const std::string* tok = tokens_.find(id);
    out.push_back({id, tok ? *tok : std::string(), {pos, pos + len}});
    pos += len;
  }
  return out;
}

void BpeModel::merge_word(std::string_view text, Word& word) const {
  // The crate's Word: symbols in a linked list (models/bpe/word.rs).
  struct Symbol {
    std::uint32_t id;
    std::int32_t prev, next;
    std::uint32_t len;
  };
  thread_local std::vector<Symbol> sym;
  thread_local std::string s;
  sym.clear();
  auto add = [&](std::uint32_t id, std::size_t len) {
    auto n = static_cast<std::int32_t>(sym.size());
    sym.push_back({id, n - 1, -1, static_cast<std::uint32_t>(len)});
    if (n > 0) sym[static_cast<std::size_t>(n - 1)].next = n;
  };
  bool unk = false;  // a pending unknown run
  std::size_t unk_len = 0;
  auto flush_unk = [&] {
    if (unk) add(*unk_id_, unk_len);
    unk = false;
  };
  const bool affixed = !prefix_.empty() || !suffix_.empty();
  for (std::size_t i = 0; i < text.size();) {
    std::size_t n = std::min(utf8_len(static_cast<unsigned char>(text[i])), text.size() - i);
    std::string_view piece = text.substr(i, n);
    auto lead = static_cast<unsigned char>(text[i]);
    if (!affixed && lead < 0x80 && ascii_ids_[lead] != kEmpty) {
      flush_unk();
      add(ascii_ids_[lead], 1);
      ++i;
      continue;
    }
    if (affixed) {
      s.clear();
      if (!prefix_.empty() && i != 0) s = prefix_;
      s.append(piece);
      if (!suffix_.empty() && i + n == text.size()) s += suffix_;
      piece = s;
    }
    if (const std::uint32_t* id = index_.find(piece)) {
      flush_unk();
      add(*id, n);
    } else {
      bool done = false;
      if (byte_fallback_) {
        bool all = true;
        for (unsigned char b : piece) all = all && has_byte_[b];
        if (all) {
          // The crate adds each byte token with length 1 (and, as it does,
          // leaves a pending unknown run pending).
          for (unsigned char b : piece) add(byte_ids_[b], 1);
          done = true;
        }
      }
      if (!done && unk_id_) {
        if (unk && fuse_unk_) {
          unk_len += n;
        } else {
          flush_unk();
          unk = true;
          unk_len = n;
        }
      }
    }
    i += n;
  }
  flush_unk();

  // A min-heap on (rank, pos): lowest rank, then leftmost, first; both packed
  // in one integer so that the heap compares once (equal keys are equal
  // entries, so the pop order is the crate's).
  struct Merge {
    std::uint64_t order;  // rank << 32 | pos
    std::uint32_t new_id;
  };
  auto later = [](const Merge& a, const Merge& b) { return a.order > b.order; };
  auto order = [](std::uint32_t rank, std::size_t pos) { return (std::uint64_t{rank} << 32) | pos; };
  thread_local std::vector<Merge> heap;
  heap.clear();
  for (std::size_t k = 0; k + 1 < sym.size(); ++k)
    if (auto* m = find_merge(sym[k].id, sym[k + 1].id)) heap.push_back({order(m->rank, k), m->new_id});
  std::make_heap(heap.begin(), heap.end(), later);
  while (!heap.empty()) {
    std::pop_heap(heap.begin(), heap.end(), later);
    Merge top = heap.back();
    heap.pop_back();
    const auto top_pos = static_cast<std::uint32_t>(top.order);
    Symbol& cur = sym[top_pos];
    if (cur.len == 0 || cur.next == -1) continue;
    auto next_pos = static_cast<std::size_t>(cur.next);
    Symbol right = sym[next_pos];
    const MergeInfo* m = find_merge(cur.id, right.id);
    if (!m || m->new_id != top.new_id) continue;
    cur.id = top.new_id;
    cur.len += right.len;
    cur.next = right.next;
    sym[next_pos].len = 0;
    if (right.next > -1 && static_cast<std::size_t>(right.next) < sym.size())
      sym[static_cast<std::size_t>(right.next)].prev = static_cast<std::int32_t>(top_pos);
    if (cur.prev >= 0) {
      auto prev = static_cast<std::size_t>(cur.prev);
      if (auto* pm = find_merge(sym[prev].id, cur.id)) {
        heap.push_back({order(pm->rank, prev), pm->new_id});
        std::push_heap(heap.begin(), heap.end(), later);
      }
    }
    if (cur.next >= 0 && static_cast<std::size_t>(cur.next) < sym.size()) {
      if (auto* nm = find_merge(cur.id, sym[static_cast<std::size_t>(cur.next)].id)) {
        heap.push_back({order(nm->rank, top_pos), nm->new_id});
        std::push_heap(heap.begin(), heap.end(), later);
      }
    }
  }
  word.clear();
  for (const Symbol& sy : sym)
    if (sy.len != 0) word.emplace_back(sy.id, sy.len);
}

}  // namespace lathe::text
