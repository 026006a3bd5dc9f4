// Text inputs of lathe-cli (torch-free: the front's tokenize and the full
// binary's run / memory / generate share it): MODEL's tokenizer, --text /
// --pair / --texts-file, and a padded batch of encodings for a forward pass.
#pragma once

#include "cli_args.h"

#include "session/session.h"
#include "text/tokenizer.h"

#include <optional>
#include <string>
#include <vector>

namespace lathe::cli {

/// The tokenizer of MODEL: a model folder (AutoTokenizer's files), a
/// tokenizer.json file, or a Hub repo id (only the tokenizer/config files fetched).
Tokenizer tokenizer_of(const std::string& model);

/// The tokenizer in a resolved model's folder (the path itself, or a weights file's folder).
Tokenizer tokenizer_beside(const std::string& model_path);

struct TextInput {
  std::string text;
  std::optional<std::string> pair;
};

/// --text T (repeatable) with --pair P (once for all, or once per --text), or
/// --texts-file F (JSON Lines: a string, or a [text, pair] array per line).
/// Empty when none of them is given. UsageError for a bad combination or line.
std::vector<TextInput> text_inputs(const Args& args);

/// Encodes every input (pairs as pairs) with or without special tokens.
std::vector<TokenEncoding> encode_inputs(const Tokenizer& tok, const std::vector<TextInput>& inputs, bool special);

/// The inputs as transformers' tokenizer(texts, padding=True) makes them for a
/// model: padded to the longest with the tokenizer's pad token on its
/// padding_side (Error(InvalidArgument) when lengths differ and it has none, as
/// transformers refuses), token_type_ids only when `with_type_ids`.
TokenBatch token_batch(const Tokenizer& tok, const std::vector<TextInput>& inputs, bool with_type_ids);

/// The inputs of run / memory: --inputs F [--inputs-prefix P], or text
/// (--text/--pair/--texts-file) tokenized with the tokenizer in `model_dir`.
/// UsageError naming `command` when neither or both are given.
void set_forward_inputs(ForwardRequest& req, const Args& args, const std::string& model_dir, const std::string& command);

/// Whether transformers' tokenizer for this model folder returns token_type_ids
/// (its model_input_names): BERT-style tokenizers do, GPT-2/Llama/BLOOM-style not.
bool tokenizer_returns_type_ids(const Tokenizer& tok, const std::string& model_dir);

}  // namespace lathe::cli
