// Post-processors that add special tokens (the crate's
// processors/{template,bert,roberta,sequence}.rs): TemplateProcessing,
// BertProcessing, RobertaProcessing, Sequence — for single sequences and
// pairs, with type ids. Internal to engine/text.
#pragma once

#include "text/pipeline.h"

#include <map>

namespace lathe::text {

/// Base for processors that rewrite the whole list of encodings:
/// process() is process_encodings() on a list of one.
class ListPostProcessor : public PostProcessor {
 public:
  void process(RawEncoding& encoding, bool add_special_tokens) const override;
};

class TemplateProcessing : public ListPostProcessor {
 public:
  TemplateProcessing(const Json& j, const std::string& where);
  void process_encodings(std::vector<RawEncoding>& encodings, bool add_special_tokens) const override;

 private:
  struct Piece {
    bool is_sequence = false;
    std::string id;  ///< "A"/"B" or the special token's key
    std::uint32_t type_id = 0;
  };
  struct Special {
    std::vector<std::uint32_t> ids;
    std::vector<std::string> tokens;
  };
  std::vector<Piece> parse_template(const Json& t, const std::string& where) const;

  std::vector<Piece> single_, pair_;
  std::map<std::string, Special> special_;
};

/// BertProcessing and RobertaProcessing ("roberta" selects the latter).
class BertProcessing : public ListPostProcessor {
 public:
  BertProcessing(const Json& j, const std::string& where, bool roberta = false);
  void process_encodings(std::vector<RawEncoding>& encodings, bool add_special_tokens) const override;

 private:
  std::pair<std::string, std::uint32_t> sep_, cls_;
  bool roberta_ = false, trim_offsets_ = true, add_prefix_space_ = true;
  std::unique_ptr<PostProcessor> trim_;  ///< Roberta: ByteLevel offset trimming
};

class RobertaProcessing : public BertProcessing {
 public:
  RobertaProcessing(const Json& j, const std::string& where) : BertProcessing(j, where, true) {}
};

class SequencePostProcessor : public PostProcessor {
 public:
  SequencePostProcessor(const Json& j, const std::string& where);
  void process(RawEncoding& encoding, bool add_special_tokens) const override;
  void process_encodings(std::vector<RawEncoding>& encodings, bool add_special_tokens) const override;

 private:
  std::vector<std::unique_ptr<PostProcessor>> parts_;
};

/// Appends `b` to `a` (Encoding::merge_with without overflow).
void append_encoding(RawEncoding& a, RawEncoding&& b);

}  // namespace lathe::text
