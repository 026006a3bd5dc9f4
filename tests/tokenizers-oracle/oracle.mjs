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
import { readFileSync } from 'node:fs';
import tokenizers from 'tokenizers';

const [tokPath, textsPath] = process.argv.slice(2);
if (!tokPath || !textsPath) {
  console.error('usage: node oracle.mjs TOKENIZER_JSON TEXTS_JSONL');
  process.exit(2);
}
const tok = tokenizers.Tokenizer.fromFile(tokPath);
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
