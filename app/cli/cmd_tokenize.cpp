// lathe-cli tokenize / detokenize: text in, ids out and back, through the
// model's tokenizer.json (engine/text). MODEL needs only the tokenizer files.
#include "cli_args.h"
#include "commands.h"
#include "output.h"

#include "core/error.h"
#include "core/file_util.h"
#include "hub/model_source.h"
#include "text/auto_tokenizer.h"

#include <cstdio>
#include <sstream>

namespace lathe::cli {
namespace {

/// The tokenizer of MODEL: a model folder, a tokenizer.json file, or a Hub repo id.
Tokenizer tokenizer_of(const std::string& model) {
  std::string path = hub::resolve_model(model, hub::ModelNeed::Config);
  if (!is_directory(path)) return Tokenizer::from_file(path);
  return load_tokenizer(path);
}

nlohmann::ordered_json encoding_json(const TokenEncoding& e) {
  nlohmann::ordered_json j;
  j["ids"] = e.ids;
  j["tokens"] = e.tokens;
  auto& offsets = j["offsets"] = nlohmann::ordered_json::array();
  for (const auto& [b, end] : e.offsets) offsets.push_back({b, end});
  j["type_ids"] = e.type_ids;
  j["attention_mask"] = e.attention_mask;
  return j;
}

std::vector<std::uint32_t> parse_ids(const std::string& text) {
  std::vector<std::uint32_t> ids;
  std::istringstream in(text);
  std::string tok;
  while (in >> tok) {
    char* end = nullptr;
    const long long v = std::strtoll(tok.c_str(), &end, 10);
    if (*end != '\0' || v < 0 || v > 0xFFFFFFFFll) throw UsageError("--ids takes token ids (0 or more) separated by spaces, got '" + tok + "'");
    ids.push_back(static_cast<std::uint32_t>(v));
  }
  return ids;
}

}  // namespace

int cmd_tokenize(const Argv& argv) {
  Args args(argv, {"--text"}, {"--no-special-tokens"});
  args.expect_positional(1, 1, "lathe-cli tokenize MODEL --text T [--text T ...] [--no-special-tokens] [--json]");
  const auto texts = args.values("--text");
  if (texts.empty()) throw UsageError("tokenize needs --text T (repeat for several)");
  const Tokenizer tok = tokenizer_of(args.positional()[0]);
  const bool special = !args.has("--no-special-tokens");
  std::vector<TokenEncoding> out;
  for (const auto& t : texts) out.push_back(tok.encode(t, special));  // all before printing anything
  if (args.json()) {
    nlohmann::ordered_json j = nlohmann::ordered_json::array();
    for (const auto& e : out) j.push_back(encoding_json(e));
    print_json(j);
    return 0;
  }
  for (const auto& e : out) {
    for (std::size_t i = 0; i < e.ids.size(); ++i) std::printf("%s%u", i ? " " : "", e.ids[i]);
    std::printf("\n");
  }
  return 0;
}

int cmd_detokenize(const Argv& argv) {
  Args args(argv, {"--ids"}, {"--skip-special-tokens"});
  args.expect_positional(1, 1, "lathe-cli detokenize MODEL --ids \"ID ID ...\" [--skip-special-tokens] [--json]");
  const auto ids = args.value("--ids");
  if (!ids) throw UsageError("detokenize needs --ids \"ID ID ...\"");
  const auto parsed = parse_ids(*ids);
  const Tokenizer tok = tokenizer_of(args.positional()[0]);
  const std::string text = tok.decode(parsed, args.has("--skip-special-tokens"));
  if (args.json()) print_json({{"text", text}});
  else std::printf("%s\n", text.c_str());
  return 0;
}

}  // namespace lathe::cli
