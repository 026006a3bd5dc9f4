// The Rust side of `lathe-cli bench tokenize`: the Rust `tokenizers` library
// through its official Node bindings (npm `tokenizers`, pinned in
// package-lock.json), timed on the texts the bench wrote.
//
//   RAYON_NUM_THREADS=N node bench.mjs TOKENIZER_JSON TEXTS_JSONL single|batch BATCH_SIZE
//
// TEXTS_JSONL holds one JSON string per line. `single` awaits encode() on one
// text at a time; `batch` awaits encodeBatch() on BATCH_SIZE texts at a time
// (the library runs a batch on rayon's pool: RAYON_NUM_THREADS threads).
// add_special_tokens = true. Prints one JSON object: seconds of the timed loop
// (texts already in memory, tokenizer loaded), overhead_seconds (the same loop
// on empty strings: what the bindings cost, not the library), total tokens, and
// memory from /proc/self/status: VmRSS before the tokenizer was loaded and
// VmHWM at the end.
import { readFileSync } from 'node:fs';
import tokenizers from 'tokenizers';

const [tokPath, textsPath, mode, batchArg] = process.argv.slice(2);
if (!tokPath || !textsPath || (mode !== 'single' && mode !== 'batch')) {
  console.error('usage: node bench.mjs TOKENIZER_JSON TEXTS_JSONL single|batch [BATCH_SIZE]');
  process.exit(2);
}
const status = (field) => {
  const m = readFileSync('/proc/self/status', 'utf8').match(new RegExp('^' + field + ':\\s+(\\d+)', 'm'));
  return m ? Number(m[1]) : 0;
};
const texts = readFileSync(textsPath, 'utf8').split('\n').filter((l) => l.length > 0).map((l) => JSON.parse(l));
const rssBeforeKb = status('VmRSS');
const tok = tokenizers.Tokenizer.fromFile(tokPath);
const batchSize = Math.max(1, Number(batchArg || 256));
const opts = { addSpecialTokens: true };

let tokens = 0;
const t0 = process.hrtime.bigint();
if (mode === 'single') {
  for (const text of texts) {
    const enc = await tok.encode(text, null, opts);
    tokens += enc.getLength();
  }
} else {
  for (let i = 0; i < texts.length; i += batchSize) {
    const encs = await tok.encodeBatch(texts.slice(i, i + batchSize), opts);
    for (const enc of encs) tokens += enc.getLength();
  }
}
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
// The bindings' own cost: the same calls on empty strings (N-API, the promise,
// the hop to libuv's pool and back, the Encoding object), timed the same way.
const empties = texts.map(() => '');
const t1 = process.hrtime.bigint();
if (mode === 'single') {
  for (const text of empties) (await tok.encode(text, null, opts)).getLength();
} else {
  for (let i = 0; i < empties.length; i += batchSize)
    for (const enc of await tok.encodeBatch(empties.slice(i, i + batchSize), opts)) enc.getLength();
}
const overheadSeconds = Number(process.hrtime.bigint() - t1) / 1e9;
process.stdout.write(JSON.stringify({
  seconds,
  overhead_seconds: overheadSeconds,
  tokens,
  texts: texts.length,
  rss_before_kb: rssBeforeKb,
  hwm_kb: status('VmHWM'),
}) + '\n');
