// lathe-cli generate MODEL --text T | --prompt "ids": continue prompts (greedy or sampled); text in,
// text out through the model's tokenizer, or token ids in and out.
#include "cli_args.h"
#include "commands.h"
#include "cli_text.h"
#include "output.h"

#include "core/error.h"
#include "hub/model_source.h"
#include "session/session.h"

#include <cmath>
#include <cstdio>
#include <sstream>

namespace lathe::cli {

namespace {
std::vector<std::int64_t> parse_ids(const std::string& text) {
  std::vector<std::int64_t> ids;
  std::istringstream in(text);
  std::string tok;
  while (in >> tok) {
    char* end = nullptr;
    long long v = std::strtoll(tok.c_str(), &end, 10);
    if (*end != '\0' || tok.empty()) throw UsageError("--prompt takes token ids separated by spaces, got '" + tok + "'");
    ids.push_back(v);
  }
  if (ids.empty()) throw UsageError("--prompt is empty");
  return ids;
}
}  // namespace

int cmd_generate(const Argv& argv) {
  Args args(argv, {"--prompt", "--text", "--texts-file", "--max-new-tokens", "--temperature", "--top-k", "--top-p", "--seed", "--dtype", "--variant", "--class"},
            {"--sample", "--ignore-mismatched-sizes"});
  args.expect_positional(1, 1,
                         "lathe-cli generate MODEL (--text T [--text ...] | --texts-file F | --prompt \"ID ID ...\" [--prompt ...]) "
                         "[--max-new-tokens N] "
                         "[--sample] [--temperature T] [--top-k K] [--top-p P] [--seed S]");
  GenerateRequest req;
  for (const auto& p : args.values("--prompt")) req.prompts.push_back(parse_ids(p));
  if (args.has("--pair")) throw UsageError("generate takes no --pair");
  const auto texts = text_inputs(args);
  if (!texts.empty() && !req.prompts.empty()) throw UsageError("give --text or --prompt ids, not both");
  if (texts.empty() && req.prompts.empty())
    throw UsageError("generate needs --text T or --prompt \"ID ID ...\" (repeat either for a batch)");
  try {
    req.max_new_tokens = std::stoll(args.value("--max-new-tokens").value_or("20"));
    req.do_sample = args.has("--sample");
    req.temperature = std::stod(args.value("--temperature").value_or("1.0"));
    req.top_k = std::stoll(args.value("--top-k").value_or("50"));
    req.top_p = std::stod(args.value("--top-p").value_or("1.0"));
    req.seed = std::stoull(args.value("--seed").value_or("0"));
  } catch (const std::logic_error&) {
    throw UsageError("--max-new-tokens, --top-k and --seed take integers; --temperature and --top-p numbers");
  }
  // transformers' GenerationConfig.validate() refuses the same values.
  if (req.max_new_tokens < 0) throw UsageError("--max-new-tokens must be 0 or more");
  if (req.top_k < 0) throw UsageError("--top-k must be 0 (off) or more");
  if (!(req.temperature > 0.0) || !std::isfinite(req.temperature)) throw UsageError("--temperature must be a positive number");
  if (!(req.top_p > 0.0 && req.top_p <= 1.0)) throw UsageError("--top-p must be in (0, 1]");
  Session session;
  StderrProgress progress;
  LoadOptions lo = load_options(args);
  const std::string model = hub::resolve_model(args.positional()[0], hub::ModelNeed::Weights, &progress, {lo.variant, {}, {}});
  std::optional<Tokenizer> tok;
  std::vector<std::size_t> prompt_len;
  if (!texts.empty()) {  // the tokenizer and the prompts before the weights load
    tok = tokenizer_beside(model);
    for (const auto& e : encode_inputs(*tok, texts, true)) {
      if (e.ids.empty()) throw Error(ErrorCode::InvalidArgument, "the text gives no tokens to continue");
      req.prompts.emplace_back(e.ids.begin(), e.ids.end());
    }
  }
  for (const auto& p : req.prompts) prompt_len.push_back(p.size());
  session.load(model, lo, &progress);
  auto out = session.generate(req, &progress);
  if (tok) {
    // As transformers users read it: tokenizer.decode(sequence, skip_special_tokens=True).
    std::vector<std::string> full, added;
    for (std::size_t i = 0; i < out.size(); ++i) {
      std::vector<std::uint32_t> all, fresh;
      for (std::size_t k = 0; k < out[i].size(); ++k) {
        const auto id = static_cast<std::uint32_t>(out[i][k]);
        all.push_back(id);
        if (k >= prompt_len[i]) fresh.push_back(id);
      }
      full.push_back(tok->decode(all, true));
      added.push_back(tok->decode(fresh, true));
    }
    if (args.json()) {
      print_json({{"sequences", out}, {"texts", full}, {"continuations", added}});
      return 0;
    }
    for (const auto& t : full) std::printf("%s\n", t.c_str());
    return 0;
  }
  if (args.json()) {
    print_json({{"sequences", out}});
    return 0;
  }
  for (const auto& seq : out) {
    for (std::size_t i = 0; i < seq.size(); ++i) std::printf("%s%lld", i ? " " : "", static_cast<long long>(seq[i]));
    std::printf("\n");
  }
  return 0;
}

}  // namespace lathe::cli
