// Builders for tests/engine/test_hostile.cpp: byte helpers, hostile cases,
// zip archives rewritten from the fixture .bin, and malicious pickles.
#pragma once

#include "io/zip_reader.h"
#include "io/zip_writer.h"
#include "test_support.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace lathe::test::hostile {

inline const std::string kSt = "cases/gpt2_lm_s0/model_safetensors/model.safetensors";
inline const std::string kBin = "cases/gpt2_lm_s0/model_bin/pytorch_model.bin";
using Named = std::vector<std::pair<std::string, std::string>>;  // (what, bytes)

inline std::string fixture_bytes(const std::string& rel) { return lathe::test::read_bytes(lathe::test::fixture(rel)); }
/// Writes d/name and returns its path.
inline std::string put(const TempDir& d, const std::string& name, const std::string& bytes) {
  lathe::test::write_bytes(d.file(name), bytes);
  return d.file(name);
}
inline bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}
inline std::string u64le(std::uint64_t v) {
  std::string s(8, '\0');
  for (std::size_t i = 0; i < 8; ++i) s[i] = static_cast<char>(v >> (8 * i));
  return s;
}
inline std::uint64_t rd_le(const std::string& s, std::size_t at, std::size_t n) {
  std::uint64_t v = 0;
  for (std::size_t i = n; i-- > 0;) v = (v << 8) | static_cast<std::uint8_t>(s[at + i]);
  return v;
}
inline void wr32(std::string& s, std::size_t at, std::uint32_t v) {
  for (std::size_t i = 0; i < 4; ++i) s[at + i] = static_cast<char>(v >> (8 * i));
}
/// A safetensors file: length, header, zeroed data.
inline std::string st_file(const std::string& header, std::size_t data_bytes) {
  return u64le(header.size()) + header + std::string(data_bytes, '\0');
}

/// One hostile input: `make` builds it under a fresh temp dir and returns the MODEL argument.
struct Case {
  std::string what;
  std::function<std::string(const TempDir&)> make;
};
inline Case file_case(const std::string& what, const std::string& name, const std::string& bytes) {
  return {what, [=](const TempDir& d) { return put(d, name, bytes); }};
}

// ---------------------------------------------------------------------------
// Zip archives: the fixture .bin rewritten by the engine's zip writer (stored,
// aligned like torch's) with records replaced, then optionally patched.

using Entries = std::vector<std::pair<std::string, std::string>>;

inline Entries bin_entries() {
  const std::string bytes = fixture_bytes(kBin);
  lathe::ZipArchive zip(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size(), kBin);
  Entries out;
  for (const auto& e : zip.entries()) out.emplace_back(e.name, std::string(zip.stored_data(e)));
  return out;
}
/// The fixture's entries with `edit` applied to the one whose name ends in `suffix`.
inline Entries with_entry(const std::string& suffix, const std::function<void(std::string&)>& edit) {
  Entries e = bin_entries();
  auto it = std::find_if(e.begin(), e.end(), [&](const auto& x) { return ends_with(x.first, suffix); });
  EXPECT_NE(it, e.end()) << suffix;
  if (it != e.end()) edit(it->second);
  return e;
}
inline Entries without_entry(const std::string& suffix) {
  Entries e = bin_entries();
  e.erase(std::remove_if(e.begin(), e.end(), [&](const auto& x) { return ends_with(x.first, suffix); }), e.end());
  return e;
}
inline std::string zip_bytes(const Entries& entries, const TempDir& d) {
  lathe::ZipWriter w(d.file("scratch.zip"));
  for (const auto& [name, data] : entries) w.add(name, data.data(), data.size());
  w.finish();
  std::string bytes = lathe::test::read_bytes(d.file("scratch.zip"));
  std::filesystem::remove(d.file("scratch.zip"));
  return bytes;
}
inline Case zip_case(const std::string& what, std::function<Entries()> entries) {
  return {what, [=](const TempDir& d) { return put(d, "pytorch_model.bin", zip_bytes(entries(), d)); }};
}

inline std::size_t eocd(const std::string& zip) { return zip.rfind(std::string("PK\x05\x06", 4)); }
/// Offset of the central directory header of the entry whose name ends in `suffix`.
inline std::size_t central_header(const std::string& zip, const std::string& suffix) {
  const std::size_t e = eocd(zip);
  std::size_t pos = rd_le(zip, e + 16, 4);
  for (std::uint64_t i = 0, n = rd_le(zip, e + 10, 2); i < n; ++i) {
    std::size_t name_len = rd_le(zip, pos + 28, 2);
    if (ends_with(zip.substr(pos + 46, name_len), suffix)) return pos;
    pos += 46 + name_len + rd_le(zip, pos + 30, 2) + rd_le(zip, pos + 32, 2);
  }
  ADD_FAILURE() << "no central header for " << suffix;
  return 0;
}
inline Case patched_zip(const std::string& what, std::function<void(std::string&)> patch) {
  return {what, [=](const TempDir& d) {
            std::string z = zip_bytes(bin_entries(), d);
            patch(z);
            return put(d, "pytorch_model.bin", z);
          }};
}

// ---------------------------------------------------------------------------
// Pickles whose payload runs `touch <case dir>/pwned` when Python unpickles
// them (checked once against /usr/bin/python3's pickle module).

struct Pickle {
  std::string b;
  Pickle& op(char c) { return b += c, *this; }
  Pickle& str(const std::string& s) {  // BINUNICODE
    b += 'X';
    for (std::size_t i = 0; i < 4; ++i) b += static_cast<char>(s.size() >> (8 * i));
    return b += s, *this;
  }
  Pickle& global(const std::string& m, const std::string& n) { return b += "c" + m + "\n" + n + "\n", *this; }
  /// `m.n` through GLOBAL, or through STACK_GLOBAL (protocol 4).
  Pickle& fn(bool stack, const std::string& m, const std::string& n) {
    return stack ? str(m).str(n).op('\x93') : global(m, n);
  }
  Pickle& call1(const std::string& arg) { return str(arg).op('\x85').op('R'); }  // f(arg)
};

/// Hostile pickle bodies (no PROTO/STOP), each meant to create `pwned`.
inline Named payloads(bool stack, const std::string& pwned) {
  const std::string touch = "touch " + pwned;
  Named out;
  auto add = [&](const std::string& what, const Pickle& p) { out.emplace_back(what, p.b); };
  add("os.system", Pickle().fn(stack, "os", "system").call1(touch));
  add("posix.system", Pickle().fn(stack, "posix", "system").call1(touch));
  add("builtins.eval", Pickle().fn(stack, "builtins", "eval").call1("__import__('os').system('" + touch + "')"));
  add("builtins.exec", Pickle().fn(stack, "builtins", "exec").call1("import os; os.system('" + touch + "')"));
  Pickle popen;  // subprocess.Popen(['touch', pwned])
  popen.fn(stack, "subprocess", "Popen").op(']').op('(').str("touch").str(pwned).op('e').op('\x85').op('R');
  add("subprocess.Popen", popen);
  Pickle imp;  // getattr(__import__('os'), 'system')(touch)
  imp.fn(stack, "builtins", "getattr").fn(stack, "builtins", "__import__").call1("os");
  add("builtins.__import__", imp.str("system").op('\x86').op('R').call1(touch));
  Pickle hidden;  // OrderedDict() with 'w' set to os.system(touch)
  hidden.global("collections", "OrderedDict").op(')').op('R').str("w").fn(stack, "os", "system").call1(touch);
  add("os.system as a value of an ordinary OrderedDict", hidden.op('s'));
  return out;
}

/// Opcodes that construct objects (INST, OBJ, NEWOBJ, EXT1) and a foreign persistent id.
inline Named constructing_opcodes(const std::string& pwned) {
  const std::string touch = "touch " + pwned;
  return {
      {"INST os.system", "(" + Pickle().str(touch).b + "ios\nsystem\n"},
      {"OBJ os.system", "(" + Pickle().global("os", "system").str(touch).b + "o"},
      {"NEWOBJ", Pickle().global("os", "system").op(')').op('\x81').b},
      {"EXT1", "\x82\x01"},
      {"persistent id that is not a storage",
       Pickle().op('(').str("module").global("os", "system").str(touch).op('t').op('Q').b},
  };
}

/// A valid legacy-format preamble: magic number, protocol version, sys_info.
inline std::string legacy_prefix() {
  Pickle info;
  info.op('}').op('(').str("protocol_version").op('M').op('\xe9').op('\x03').str("little_endian").op('\x88');
  info.str("type_sizes").op('}').op('(').str("short").op('K').op(2).str("int").op('K').op(4);
  info.str("long").op('K').op(4).op('u').op('u').op('.');
  return "\x80\x02\x8a\x0a" + std::string("\x6c\xfc\x9c\x46\xf9\x20\x6a\xa8\x50\x19", 10) + "." +  // magic
         "\x80\x02M\xe9\x03." + "\x80\x02" + info.b;                                        // 1001, sys_info
}

}  // namespace lathe::test::hostile
