// lathe-cli tokenize / detokenize: text in, ids out and back, through the
// model's tokenizer (engine/text). MODEL needs only the tokenizer files.
#include "cli_args.h"
#include "commands.h"
#include "cli_text.h"
#include "output.h"

#include "core/error.h"
#include "core/file_util.h"

#include <cstdio>
#include <sstream>

namespace lathe::cli {
namespace {

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
  Args args(argv, {"--text", "--pair", "--texts-file"}, {"--no-special-tokens"});
  args.expect_positional(1, 1, "lathe-cli tokenize MODEL (--text T [--pair P] ... | --texts-file F) [--no-special-tokens] [--json]");
  const auto inputs = text_inputs(args);
  if (inputs.empty()) throw UsageError("tokenize needs --text T (repeat for several) or --texts-file F");
  const Tokenizer tok = tokenizer_of(args.positional()[0]);
  // All encoded before anything is printed.
  const std::vector<TokenEncoding> out = encode_inputs(tok, inputs, !args.has("--no-special-tokens"));
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
