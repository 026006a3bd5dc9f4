// Data behind the memory view: the memory job (Session::memory on typed
// token ids or tokenized lines of text) and the aggregations it shows. All plain data; the job runs on
// the worker thread, the aggregations on snapshots.
#pragma once

#include "analysis/memory_report.h"
#include "io/checkpoint.h"
#include "session/session.h"
#include "text/tokenizer.h"

#include <QString>
#include <QVector>

#include <cstdint>
#include <vector>

namespace lathe::ui {

using TokenRows = std::vector<std::vector<std::int64_t>>;

/// "15 42 7; 3 9 1" (rows split by ';' or newlines, ids by spaces or commas).
/// Empty result and `error` set when the text is not a list of ids or rows differ in length.
TokenRows parseTokenIds(const QString& text, QString* error);

/// One line of text per row, encoded together (Tokenizer::encode_batch) and
/// padded as the tokenizer pads; a tokenizer that sets no padding pads
/// BatchLongest on the right with its pad token (else its end-of-text token, as
/// transformers users set pad_token = eos_token). Attention mask 0 on padding.
struct TextBatch {
  std::vector<lathe::TokenEncoding> rows;
  lathe::TokenBatch batch;  ///< input_ids and attention_mask of `rows`
  QString padToken;         ///< set when Lathe chose the padding (the tokenizer sets none)
};
/// False and `error` (translated) when no line has text or encoding fails.
bool encodeTextRows(const lathe::Tokenizer& tokenizer, const QString& text, TextBatch* out, QString* error);

/// Session::memory on `batch` (inside a job): hooks reset first, so the report
/// covers exactly one forward pass.
lathe::MemoryReport runMemoryReport(lathe::Session& session, const lathe::TokenBatch& batch);
lathe::MemoryReport runMemoryReport(lathe::Session& session, const TokenRows& ids);

/// One row of a footprint table.
struct FootprintRow {
  QString key;          ///< dtype code or module type
  qint64 count = 0;     ///< tensors or modules
  qint64 bytes = 0;
};

/// Bytes per dtype over the distinct tensors (shared storages once), largest first.
QVector<FootprintRow> footprintByDtype(const lathe::CheckpointInfo& info);
/// Parameter + buffer bytes a module holds itself (its subtree minus its
/// children's subtrees), summed per module type, largest first.
/// `tiedCopies`: (module path, bytes) of each second and further name of a tied
/// weight (lm_head.weight tied to wte.weight): counted once, at its first name.
QVector<FootprintRow> footprintByModuleType(const lathe::MemoryReport& report,
                                            const std::vector<std::pair<QString, qint64>>& tiedCopies = {});
/// Each module's own bytes, as footprintByModuleType counts them (pre-order).
std::vector<qint64> ownBytes(const lathe::MemoryReport& report,
                             const std::vector<std::pair<QString, qint64>>& tiedCopies = {});
/// The tied copies of a loaded model (ModelSummary::tied + tensor sizes).
std::vector<std::pair<QString, qint64>> tiedCopies(const std::vector<std::vector<std::string>>& tied,
                                                   const lathe::CheckpointInfo& info);

/// The modules charted at `depth` (indices into report.modules, pre-order).
std::vector<int> modulesAtDepth(const lathe::MemoryReport& report, int depth);
/// The shallowest depth with at least `wanted` modules that ran (else the deepest).
int defaultChartDepth(const lathe::MemoryReport& report, int wanted = 4);

}  // namespace lathe::ui
