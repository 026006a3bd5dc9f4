// Small UTF-8 and JSON-field helpers for engine/text (torch-free, std only).
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace lathe::text {

// nlohmann::json (std::map objects): ordered_json's linear key search made parsing a
// 50k-entry vocab quadratic; no component depends on the file's key order.
using Json = nlohmann::json;
/// [start, end) offsets (bytes or characters, as each caller says).
using Offsets = std::pair<std::size_t, std::size_t>;

/// Length in bytes of the UTF-8 sequence starting with lead byte `b` (1 for a
/// stray continuation byte, so loops always advance). Input is valid UTF-8.
inline std::size_t utf8_len(unsigned char b) {
  return b < 0x80 ? 1 : (b >> 5) == 0x6 ? 2 : (b >> 4) == 0xE ? 3 : (b >> 3) == 0x1E ? 4 : 1;
}
/// Decodes the code point at s[i] (valid UTF-8 assumed).
char32_t utf8_decode(std::string_view s, std::size_t i);
void utf8_append(std::string& out, char32_t cp);
/// True when `s` is well-formed UTF-8.
bool utf8_valid(std::string_view s);
/// Rust's String::from_utf8_lossy: each maximal ill-formed subpart becomes U+FFFD.
std::string utf8_lossy(std::string_view bytes);
/// Rust's char::is_whitespace (the Unicode White_Space property).
bool is_unicode_whitespace(char32_t c);

/// GPT-2's bytes_to_unicode(): byte -> the UTF-8 of its printable stand-in.
const std::vector<std::string>& byte_level_alphabet();
/// The inverse: code point of a stand-in -> byte, or -1.
int byte_level_byte(char32_t c);

// JSON fields of tokenizer.json. `where` names the component ("model",
// "pre_tokenizer.pretokenizers[1]") so that errors name the full field;
// every type mismatch throws Error(ConfigInvalid, ..., "where.key").
bool has_field(const Json& obj, const char* key);  ///< present and not null
const Json& field(const Json& obj, const char* key, const std::string& where);
std::string get_string(const Json& obj, const char* key, const std::string& where);
std::string get_string_or(const Json& obj, const char* key, const std::string& where, std::string dflt);
bool get_bool_or(const Json& obj, const char* key, const std::string& where, bool dflt);
std::uint32_t get_u32(const Json& obj, const char* key, const std::string& where);

/// A model's `vocab` object (token → id) with its reverse map, as BPE, WordPiece
/// and WordLevel read it: ids must be integers in [0, 2^32).
struct Vocab {
  std::unordered_map<std::string, std::uint32_t> ids;
  std::unordered_map<std::uint32_t, std::string> tokens;

  /// Reads field(j, "vocab"); config_error naming `where`.vocab on a bad entry.
  static Vocab from_json(const Json& j, const std::string& where);
  std::size_t size() const { return ids.size(); }
  std::optional<std::uint32_t> id_of(const std::string& token) const {
    auto it = ids.find(token);
    return it == ids.end() ? std::nullopt : std::optional<std::uint32_t>(it->second);
  }
  const std::string* token_of(std::uint32_t id) const {
    auto it = tokens.find(id);
    return it == tokens.end() ? nullptr : &it->second;
  }
};
/// A read-only string -> id table looked up by string_view (C++17's
/// unordered_map needs a std::string key: one allocation per lookup on the
/// tokenizers' hot paths). Open addressing over the keys of a map it does not
/// own: build it from a map that outlives it and is not changed afterwards.
class StringIndex {
 public:
  void build(const std::unordered_map<std::string, std::uint32_t>& ids);
  /// The id of `s`, or nullptr.
  const std::uint32_t* find(std::string_view s) const {
    if (slots_.empty()) return nullptr;
    std::size_t h = std::hash<std::string_view>()(s);
    for (std::size_t i = h & mask_;; i = (i + 1) & mask_) {
      const Slot& sl = slots_[i];
      if (!sl.key) return nullptr;
      if (sl.hash == h && sl.key->size() == s.size() && std::string_view(*sl.key) == s) return &sl.id;
    }
  }

 private:
  struct Slot {
    std::size_t hash = 0;
    const std::string* key = nullptr;
    std::uint32_t id = 0;
  };
  std::vector<Slot> slots_;
  std::size_t mask_ = 0;
};

/// id -> token for dense ids (a vector), else through the map.
class TokenTable {
 public:
  void build(const std::unordered_map<std::uint32_t, std::string>& tokens);
  const std::string* find(std::uint32_t id) const {
    if (id < dense_.size()) return dense_[id];
    if (dense_.empty() && map_) {
      auto it = map_->find(id);
      return it == map_->end() ? nullptr : &it->second;
    }
    return nullptr;
  }

 private:
  std::vector<const std::string*> dense_;
  const std::unordered_map<std::uint32_t, std::string>* map_ = nullptr;
};

/// The largest vocabulary (and merge list) a tokenizer.json may have: 2^22 =
/// 4,194,304 entries, 16x the largest Hub vocabularies (Gemma's 262,144). A
/// hostile file with more is refused naming the field (a 10M-entry WordLevel
/// vocabulary took 2.7 GB and 20 s to load before this limit).
constexpr std::size_t kMaxVocabEntries = std::size_t{1} << 22;
/// config_error(where, ...) unless n <= kMaxVocabEntries.
void check_vocab_size(std::size_t n, const std::string& where);

[[noreturn]] void config_error(const std::string& where, const std::string& message);

}  // namespace lathe::text
