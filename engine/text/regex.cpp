#define PCRE2_CODE_UNIT_WIDTH 8
#include "text/regex.h"

#include "core/error.h"

#include <pcre2.h>

namespace lathe::text {

namespace {
// Oniguruma (the crate's engine) and PCRE2 differ in two ways the Hub's
// patterns hit, rewritten here:
// - \s: Oniguruma's is the White_Space property; PCRE2's UCP \s is
//   [\p{Z}\h\v], which misses U+0085 and has U+180E MONGOLIAN VOWEL
//   SEPARATOR (in PCRE2's \h list; Cf and not White_Space since Unicode 6.3:
//   the library puts " \u180ea" in one GPT-2 piece, PCRE2's \s split it), so
//   \s and \S become \p{White_Space} and \P{White_Space};
// - nested classes: Oniguruma reads "[^(\s|[.,!?])]" (BLOOM's pattern) as a
//   union of sets; PCRE2 has none, so a nested non-negated set is flattened.
std::string onig_to_pcre2(const std::string& p, const std::string& where) {
  std::string out;
  int depth = 0;  // class nesting
  for (std::size_t i = 0; i < p.size(); ++i) {
    char c = p[i];
    if (c == '\\' && i + 1 < p.size()) {
      char n = p[i + 1];
      if (n == 's') out += "\\p{White_Space}";
      else if (n == 'S') out += "\\P{White_Space}";
      else { out += c; out += n; }
      ++i;
      continue;
    }
    if (c == '[' && depth > 0 && i + 1 < p.size() && p[i + 1] == ':') {  // POSIX [:alpha:]
      auto close = p.find(":]", i + 2);
      if (close == std::string::npos) config_error(where, "invalid regex (unterminated [:class:])");
      out.append(p, i, close + 2 - i);
      i = close + 1;
      continue;
    }
    if (c == '[') {
      if (depth > 0) {
        if (i + 1 < p.size() && p[i + 1] == '^')
          throw Error(ErrorCode::Unsupported, "a negated set nested in a character class is not supported", where);
        ++depth;  // flattened: the bracket itself is dropped
        continue;
      }
      depth = 1;
      out += c;
      if (i + 1 < p.size() && p[i + 1] == '^') { out += '^'; ++i; }
      if (i + 1 < p.size() && p[i + 1] == ']') { out += ']'; ++i; }
      continue;
    }
    if (c == '&' && depth > 0 && i + 1 < p.size() && p[i + 1] == '&')
      throw Error(ErrorCode::Unsupported, "character class intersection (&&) is not supported", where);
    if (c == ']' && depth > 0) {
      if (--depth > 0) continue;
    }
    out += c;
  }
  return out;
}
}  // namespace

struct Regex::Impl {
  pcre2_code* code = nullptr;
  bool jit = false;  // JIT-compiled: matched with pcre2_jit_match (no option checks)
  std::string where;  // the tokenizer.json field, for errors
  ~Impl() {
    if (code) pcre2_code_free(code);
  }
};

namespace {
// Match data per thread, reused by every call and every pattern: find_matches
// is const and encode_batch calls it from several threads. Only the whole
// match is read, so one ovector pair would do (a smaller ovector than the
// pattern's groups makes pcre2_match return 0, still with ovector[0..1] set).
pcre2_match_data* thread_match_data() {
  struct Holder {
    pcre2_match_data* md = pcre2_match_data_create(16, nullptr);
    ~Holder() { pcre2_match_data_free(md); }
  };
  thread_local Holder h;
  return h.md;
}
}  // namespace

Regex::Regex(const std::string& pattern, const std::string& where) : impl_(std::make_unique<Impl>()) {
  impl_->where = where;
  std::string p = onig_to_pcre2(pattern, where);
  int err = 0;
  PCRE2_SIZE erroff = 0;
  impl_->code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(p.data()), p.size(), PCRE2_UTF | PCRE2_UCP, &err,
                              &erroff, nullptr);
  if (!impl_->code) {
    PCRE2_UCHAR buf[256];
    pcre2_get_error_message(err, buf, sizeof buf);
    config_error(where, "invalid regex (" + std::string(reinterpret_cast<char*>(buf)) + ")");
  }
  // Optional: without JIT support pcre2_match falls back to the interpreter.
  impl_->jit = pcre2_jit_compile(impl_->code, PCRE2_JIT_COMPLETE) == 0;
}

Regex::~Regex() = default;

std::vector<std::pair<Offsets, bool>> Regex::find_matches(std::string_view s) const {
  std::vector<std::pair<Offsets, bool>> out;
  std::size_t prev = 0, pos = 0;
  auto subject = reinterpret_cast<PCRE2_SPTR>(s.data());
  pcre2_match_data* md = thread_match_data();
  PCRE2_SIZE* ov = pcre2_get_ovector_pointer(md);
  while (pos <= s.size()) {
    int rc = impl_->jit ? pcre2_jit_match(impl_->code, subject, s.size(), pos, 0, md, nullptr)
                        : pcre2_match(impl_->code, subject, s.size(), pos, PCRE2_NO_UTF_CHECK, md, nullptr);
    if (rc == PCRE2_ERROR_NOMATCH) break;
    if (rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT || rc == PCRE2_ERROR_HEAPLIMIT || rc == PCRE2_ERROR_JIT_STACKLIMIT)
      throw Error(ErrorCode::InvalidArgument,
                  "the tokenizer's pattern needs too many steps on this text (a catastrophic regex; PCRE2 stopped at its limit)",
                  impl_->where);
    if (rc < 0) throw Error(ErrorCode::InvalidArgument, "regex match failed (PCRE2 error " + std::to_string(rc) + ")", impl_->where);
    std::size_t start = ov[0], end = ov[1];
    if (end == start) {  // empty match: not a split point, step one character
      if (start >= s.size()) break;
      pos = start + utf8_len(static_cast<unsigned char>(s[start]));
      continue;
    }
    if (prev != start) out.push_back({{prev, start}, false});
    out.push_back({{start, end}, true});
    prev = pos = end;
  }
  if (prev != s.size()) out.push_back({{prev, s.size()}, false});
  return out;
}

std::string regex_escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (std::string_view("\\^$.|?*+()[]{}").find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  return out;
}

std::unique_ptr<Regex> make_pattern(const Json& pat, const std::string& where) {
  if (pat.is_object() && pat.size() == 1 && pat.contains("String") && pat["String"].is_string())
    return std::make_unique<Regex>(regex_escape(pat["String"].get<std::string>()), where);
  if (pat.is_object() && pat.size() == 1 && pat.contains("Regex") && pat["Regex"].is_string())
    return std::make_unique<Regex>(pat["Regex"].get<std::string>(), where);
  config_error(where, "expected {\"String\": ...} or {\"Regex\": ...}");
}

}  // namespace lathe::text
