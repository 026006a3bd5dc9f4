#include "text/bpe_model.h"

#include <cstdio>
#include <queue>

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

  const Json& merges = field(j, "merges", where);
  if (!merges.is_array()) config_error(where + ".merges", "expected an array");
  merges_.reserve(merges.size());
  std::uint32_t rank = 0;
  for (const Json& m : merges) {
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
    merges_[pair_key(ia->second, ib->second)] = MergeInfo{rank, in->second};
    ++rank;
  }
  if (unk_token_ && !vocab_.ids.count(*unk_token_))
    config_error(where + ".unk_token", "\"" + *unk_token_ + "\" is not in the vocabulary");
}

const BpeModel::MergeInfo* BpeModel::find_merge(std::uint32_t a, std::uint32_t b) const {
  auto it = merges_.find(pair_key(a, b));
  return it == merges_.end() ? nullptr : &it->second;
}

std::optional<std::uint32_t> BpeModel::token_to_id(const std::string& token) const { return vocab_.id_of(token); }

const std::string* BpeModel::id_to_token(std::uint32_t id) const { return vocab_.token_of(id); }

std::vector<Token> BpeModel::tokenize(std::string_view text) const {
  std::vector<Token> out;
  if (text.empty()) return out;
  if (ignore_merges_) {
    auto it = vocab_.ids.find(std::string(text));
    if (it != vocab_.ids.end()) {
      out.push_back({it->second, it->first, {0, text.size()}});
      return out;
    }
  }
  // The crate's Word: symbols in a linked list (models/bpe/word.rs).
  struct Symbol {
    std::uint32_t id;
    std::ptrdiff_t prev, next;
    std::size_t start, len;
  };
  std::vector<Symbol> sym;
  auto add = [&](std::uint32_t id, std::size_t start, std::size_t len) {
    auto n = static_cast<std::ptrdiff_t>(sym.size());
    sym.push_back({id, n - 1, -1, start, len});
    if (n > 0) sym[static_cast<std::size_t>(n - 1)].next = n;
  };
  std::optional<std::pair<std::uint32_t, std::size_t>> unk;  // (id, start) of a pending unknown run
  std::size_t unk_len = 0;
  auto flush_unk = [&] {
    if (unk) add(unk->first, unk->second, unk_len);
    unk.reset();
  };
  for (std::size_t i = 0; i < text.size();) {
    std::size_t n = utf8_len(static_cast<unsigned char>(text[i]));
    std::string s;
    if (!prefix_.empty() && i != 0) s = prefix_;
    s.append(text.substr(i, n));
    if (!suffix_.empty() && i + n == text.size()) s += suffix_;
    auto it = vocab_.ids.find(s);
    if (it != vocab_.ids.end()) {
      flush_unk();
      add(it->second, i, n);
    } else {
      bool done = false;
      if (byte_fallback_) {
        std::vector<std::uint32_t> ids;
        for (unsigned char b : s) {
          char code[8];
          std::snprintf(code, sizeof code, "<0x%02X>", b);
          auto bt = vocab_.ids.find(code);
          if (bt == vocab_.ids.end()) break;
          ids.push_back(bt->second);
        }
        if (ids.size() == s.size()) {
          // The crate adds each byte token with length 1.
          for (auto id : ids) add(id, i, 1);
          done = true;
        }
      }
      if (!done && unk_token_) {
        std::uint32_t unk_id = vocab_.ids.at(*unk_token_);
        if (unk && fuse_unk_) {
          unk_len += n;
        } else {
          flush_unk();
          unk = {unk_id, i};
          unk_len = n;
        }
      }
    }
    i += n;
  }
  flush_unk();

  struct Merge {
    std::size_t pos;
    std::uint32_t rank, new_id;
    bool operator<(const Merge& o) const {  // a max-heap: lowest rank, then leftmost, first
      return rank != o.rank ? rank > o.rank : pos > o.pos;
    }
  };
  std::priority_queue<Merge> queue;
  for (std::size_t k = 0; k + 1 < sym.size(); ++k)
    if (auto* m = find_merge(sym[k].id, sym[k + 1].id)) queue.push({k, m->rank, m->new_id});
  while (!queue.empty()) {
    Merge top = queue.top();
    queue.pop();
    Symbol& cur = sym[top.pos];
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
      sym[static_cast<std::size_t>(right.next)].prev = static_cast<std::ptrdiff_t>(top.pos);
    if (cur.prev >= 0) {
      auto prev = static_cast<std::size_t>(cur.prev);
      if (auto* pm = find_merge(sym[prev].id, cur.id)) queue.push({prev, pm->rank, pm->new_id});
    }
    if (cur.next >= 0 && static_cast<std::size_t>(cur.next) < sym.size()) {
      if (auto* nm = find_merge(cur.id, sym[static_cast<std::size_t>(cur.next)].id))
        queue.push({top.pos, nm->rank, nm->new_id});
    }
  }
  // Offsets are running sums of the symbols' lengths (Word::get_chars_iter).
  std::size_t pos = 0;
  for (const Symbol& s : sym) {
    if (s.len == 0) continue;
    out.push_back({s.id, vocab_.tokens.at(s.id), {pos, pos + s.len}});
    pos += s.len;
  }
  return out;
}

}  // namespace lathe::text
