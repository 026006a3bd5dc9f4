#!/usr/bin/env python3
# Writes the synthetic tokenizer.json files of this folder from ../tiny-t5/tokenizer.json
# (deterministic; re-run to regenerate). They cover components the real fixtures do not:
# Unigram byte_fallback, WordLevel, Metaspace prepend_scheme first/never and split false,
# decoders CTC, BPEDecoder, Strip/ByteFallback/Fuse in other orders.
import json, os

here = os.path.dirname(os.path.abspath(__file__))
t5 = json.load(open(os.path.join(here, '..', 'tiny-t5', 'tokenizer.json'), encoding='utf-8'))
pieces = t5['model']['vocab']
specials = t5['added_tokens'][:3]  # <pad>, </s>, <unk>

def write(name, tok):
    os.makedirs(os.path.join(here, name), exist_ok=True)
    with open(os.path.join(here, name, 'tokenizer.json'), 'w', encoding='utf-8') as f:
        json.dump(tok, f, ensure_ascii=False, indent=1)
        f.write('\n')

def base(model, pre, dec, norm=None):
    return {'version': '1.0', 'truncation': None, 'padding': None, 'added_tokens': specials,
            'normalizer': norm, 'pre_tokenizer': pre, 'post_processor': None, 'decoder': dec, 'model': model}

# 1. Unigram + byte_fallback (all 256 byte pieces), Metaspace "first" without split,
#    Llama-style decoder chain.
byte_pieces = [['<0x%02X>' % b, 0.0] for b in range(256)]
write('unigram-byte-fallback', base(
    {'type': 'Unigram', 'unk_id': 2, 'vocab': pieces[:3] + byte_pieces + pieces[3:], 'byte_fallback': True},
    {'type': 'Metaspace', 'replacement': '\u2581', 'prepend_scheme': 'first', 'split': False},
    {'type': 'Sequence', 'decoders': [
        {'type': 'Replace', 'pattern': {'String': '\u2581'}, 'content': ' '},
        {'type': 'ByteFallback'}, {'type': 'Fuse'},
        {'type': 'Strip', 'content': ' ', 'start': 2, 'stop': 0}]}))

# 2. Unigram without unk fusing effects hidden: Metaspace "never" with split, a custom
#    replacement, decoders Metaspace("never") then BPEDecoder.
write('unigram-metaspace-never', base(
    {'type': 'Unigram', 'unk_id': 2, 'vocab': [[p.replace('\u2581', '_'), s] for p, s in pieces]},
    {'type': 'Metaspace', 'replacement': '_', 'prepend_scheme': 'never', 'split': True},
    {'type': 'Sequence', 'decoders': [
        {'type': 'Metaspace', 'replacement': '_', 'prepend_scheme': 'never', 'split': True},
        {'type': 'BPEDecoder', 'suffix': 'e'}]}))

# 3. WordLevel over whitespace-split words, decoder CTC.
words = {}
for p, _ in pieces:
    w = p.replace('\u2581', '')
    if w and w not in words:
        words[w] = len(words)
for extra in ['|', 'world', 'Hello', 'hello']:
    words.setdefault(extra, len(words))
write('wordlevel-ctc', base(
    {'type': 'WordLevel', 'vocab': words, 'unk_token': '<unk>'},
    {'type': 'WhitespaceSplit'},
    {'type': 'CTC', 'pad_token': '<pad>', 'word_delimiter_token': '|', 'cleanup': True}))

# 4. Nmt then NFKC, WordLevel over words split at ' ' only (so that Nmt's mapping of
#    tabs, line breaks and zero-widths to ' ', and its filter of control characters,
#    change the ids).
write('wordlevel-nmt', base(
    {'type': 'WordLevel', 'vocab': words, 'unk_token': '<unk>'},
    {'type': 'Split', 'pattern': {'String': ' '}, 'behavior': 'Removed', 'invert': False},
    None,
    {'type': 'Sequence', 'normalizers': [{'type': 'Nmt'}, {'type': 'NFKC'}]}))

# 5. The ByteLevel *normalizer* in front of a byte-level BPE (GPT-2's vocabulary and
#    merges from ../tiny-random-gpt2), split on whitespace without the ByteLevel
#    pre-tokenizer, ByteLevel decoder.
g2 = json.load(open(os.path.join(here, '..', 'tiny-random-gpt2', 'tokenizer.json'), encoding='utf-8'))
write('bpe-bytelevel-normalizer', {
    'version': '1.0', 'truncation': None, 'padding': None, 'added_tokens': g2['added_tokens'],
    'normalizer': {'type': 'ByteLevel'},
    'pre_tokenizer': {'type': 'Split', 'pattern': {'String': '\u0120'}, 'behavior': 'MergedWithNext', 'invert': False},
    'post_processor': None, 'decoder': {'type': 'ByteLevel', 'add_prefix_space': True, 'trim_offsets': True,
                                        'use_regex': True},
    'model': g2['model']})

# 6. UnicodeScripts: alone in front of WordLevel (its pieces are the tokens, so the
#    dropped leading "Any" characters show in the offsets), and before Metaspace in
#    front of the T5 Unigram pieces, Metaspace decoder.
write('wordlevel-unicode-scripts', base(
    {'type': 'WordLevel', 'vocab': words, 'unk_token': '<unk>'},
    {'type': 'UnicodeScripts'},
    None))
write('unigram-unicode-scripts', base(
    {'type': 'Unigram', 'unk_id': 2, 'vocab': pieces},
    {'type': 'Sequence', 'pretokenizers': [
        {'type': 'UnicodeScripts'},
        {'type': 'Metaspace', 'replacement': '\u2581', 'prepend_scheme': 'always', 'split': True}]},
    {'type': 'Metaspace', 'replacement': '\u2581', 'prepend_scheme': 'always', 'split': True}))
