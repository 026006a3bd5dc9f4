// The slow SentencePiece tokenizer for tests/engine/test_tokenizer_legacy.cpp:
// libsentencepiece's own Encode, in a process of its own (Debian's
// libsentencepiece.so exports the protobuf-lite it embeds, which breaks any
// process that also loads LibTorch's libprotobuf).
//
//   spm_oracle MODEL TEXTS_JSONL   one {"ids": [...], "pieces": [...]} per text
//   exit 3 with the library's message when MODEL does not load.
#include <nlohmann/json.hpp>
#include <sentencepiece_processor.h>

#include <fstream>
#include <iostream>

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: spm_oracle MODEL TEXTS_JSONL\n";
    return 2;
  }
  sentencepiece::SentencePieceProcessor sp;
  auto status = sp.Load(argv[1]);
  if (!status.ok()) {
    std::cerr << status.ToString() << "\n";
    return 3;
  }
  std::ifstream in(argv[2]);
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) continue;
    std::string text = nlohmann::json::parse(line).get<std::string>();
    std::vector<int> ids;
    std::vector<std::string> pieces;
    if (!sp.Encode(text, &ids).ok() || !sp.Encode(text, &pieces).ok()) return 4;
    std::cout << nlohmann::json{{"ids", ids}, {"pieces", pieces}}.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  }
  return 0;
}
