// lathe-cli generate MODEL --prompt "ids": continue token-id prompts (greedy or sampled).
#include "cli_args.h"
#include "commands.h"
#include "output.h"

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
  Args args(argv, {"--prompt", "--max-new-tokens", "--temperature", "--top-k", "--top-p", "--seed", "--dtype", "--variant", "--class"},
            {"--sample", "--ignore-mismatched-sizes"});
  args.expect_positional(1, 1,
                         "lathe-cli generate MODEL --prompt \"ID ID ...\" [--prompt ...] [--max-new-tokens N] "
                         "[--sample] [--temperature T] [--top-k K] [--top-p P] [--seed S]");
  GenerateRequest req;
  for (const auto& p : args.values("--prompt")) req.prompts.push_back(parse_ids(p));
  if (req.prompts.empty()) throw UsageError("generate needs --prompt \"ID ID ...\" (repeat for a batch)");
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
  session.load(hub::resolve_model(args.positional()[0], hub::ModelNeed::Weights, &progress, {lo.variant, {}, {}}), lo, &progress);
  auto out = session.generate(req, &progress);
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
