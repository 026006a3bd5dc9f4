// The oracle for tests/engine/test_tokenizer.cpp: the Rust `tokenizers`
// library through its official Node bindings (npm `tokenizers`, pinned in
// package-lock.json).
//
//   node oracle.mjs TOKENIZER_JSON TEXTS_JSONL
//
// TEXTS_JSONL holds one JSON string per line. For each line, one JSON object
// is printed (JSON Lines): ids, tokens, offsets ([start, end) in characters,
// as transformers' fast tokenizers report them), attention_mask, and the
// decodes of ids with and without special tokens (decoded, decoded_skip).
// Encoding uses add_special_tokens = true.
//
// Optional, after the two paths (tests/engine/test_tokenizer_legacy.cpp):
//   --add-tokens JSON_LIST          tok.addTokens(list) before encoding
//   --add-special-tokens JSON_LIST  then tok.addSpecialTokens(list)
// With either, the first output line is {"added", "added_special" (null when
// the bindings do not return it), "vocab_size" (with added tokens)}; the
// per-text lines follow as usual.
import { readFileSync } from 'node:fs';
import tokenizers from 'tokenizers';

const [tokPath, textsPath, ...flags] = process.argv.slice(2);
if (!tokPath || !textsPath) {
  console.error('usage: node oracle.mjs TOKENIZER_JSON TEXTS_JSONL [--add-tokens JSON] [--add-special-tokens JSON]');
  process.exit(2);
}
const tok = tokenizers.Tokenizer.fromFile(tokPath);
let header = null;
for (let i = 0; i < flags.length; i += 2) {
  const list = JSON.parse(flags[i + 1] ?? 'null');
  if (!Array.isArray(list)) {
    console.error(`${flags[i]}: expected a JSON list`);
    process.exit(2);
  }
  header ??= { added: 0, added_special: 0, vocab_size: 0 };
  if (flags[i] === '--add-tokens') header.added = tok.addTokens(list);
  else if (flags[i] === '--add-special-tokens') {
    const n = tok.addSpecialTokens(list);  // void in the 0.23 bindings: then null
    header.added_special = typeof n === 'number' ? n : null;
  }
  else {
    console.error(`unknown flag ${flags[i]}`);
    process.exit(2);
  }
}
if (header) {
  header.vocab_size = tok.getVocabSize(true);
  process.stdout.write(JSON.stringify(header) + '\n');
}
const lines = readFileSync(textsPath, 'utf8').split('\n').filter((l) => l.length > 0);
const out = [];
for (const line of lines) {
  const text = JSON.parse(line);
  const enc = await tok.encode(text, null, { addSpecialTokens: true });
  const ids = enc.getIds();
  out.push(JSON.stringify({
    ids,
    tokens: enc.getTokens(),
    offsets: enc.getOffsets(),
    attention_mask: enc.getAttentionMask(),
    decoded: await tok.decode(ids, false),
    decoded_skip: await tok.decode(ids, true),
  }));
}
process.stdout.write(out.join('\n') + (out.length ? '\n' : ''));
