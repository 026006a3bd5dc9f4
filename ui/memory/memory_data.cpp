#include "memory/memory_data.h"

#include "session/session.h"
#include "widgets/token_chips.h"

#include <QCoreApplication>

#include <QRegularExpression>
#include <QSet>

#include <algorithm>
#include <map>

namespace lathe::ui {

TokenRows parseTokenIds(const QString& text, QString* error) {
  TokenRows rows;
  static const QRegularExpression rowSep(QStringLiteral("[;\\n]"));
  static const QRegularExpression idSep(QStringLiteral("[\\s,]+"));
  for (const QString& line : text.split(rowSep, Qt::SkipEmptyParts)) {
    const QStringList parts = line.split(idSep, Qt::SkipEmptyParts);
    if (parts.isEmpty()) continue;
    std::vector<std::int64_t> row;
    for (const QString& p : parts) {
      bool ok = false;
      const qlonglong v = p.toLongLong(&ok);
      if (!ok || v < 0) {
        if (error) *error = p;
        return {};
      }
      row.push_back(v);
    }
    if (!rows.empty() && rows.front().size() != row.size()) {
      if (error) *error = line.trimmed();
      return {};
    }
    rows.push_back(std::move(row));
  }
  if (rows.empty() && error) *error = text;
  return rows;
}

namespace {
QString trView(const char* text) { return QCoreApplication::translate("lathe::ui::MemoryView", text); }
}  // namespace

bool encodeTextRows(const lathe::Tokenizer& tokenizer, const QString& text, TextBatch* out, QString* error) {
  QStringList lines;
  for (const QString& line : text.split(QLatin1Char('\n')))
    if (!line.trimmed().isEmpty()) lines << line;
  if (lines.isEmpty()) {
    if (error) *error = trView("Type a line of text per row.");
    return false;
  }
  lathe::Tokenizer tok = tokenizer;  // a copy: padding chosen here stays here
  QString padToken;
  if (!tok.padding() && lines.size() > 1) {
    for (const char* name : {"<pad>", "[PAD]", "<|pad|>", "<|endoftext|>", "</s>", "<eos>"}) {
      if (const auto id = tok.token_to_id(name)) {
        lathe::PaddingParams params;
        params.pad_id = *id;
        params.pad_token = name;
        tok.set_padding(params);
        padToken = QString::fromLatin1(name);
        break;
      }
    }
  }
  TextBatch batch;
  if (!encodeLines(tok, lines, &batch.rows, error)) return false;
  std::size_t shortest = SIZE_MAX, longest = 0;
  bool padded = false;
  for (const auto& row : batch.rows) {
    shortest = std::min(shortest, row.ids.size());
    longest = std::max(longest, row.ids.size());
    std::vector<std::int64_t> ids(row.ids.begin(), row.ids.end());
    std::vector<std::int64_t> mask(row.attention_mask.begin(), row.attention_mask.end());
    if (mask.size() != ids.size()) mask.assign(ids.size(), 1);
    padded = padded || std::count(mask.begin(), mask.end(), 0) > 0;
    batch.batch.input_ids.push_back(std::move(ids));
    batch.batch.attention_mask.push_back(std::move(mask));
  }
  if (shortest == 0) {
    if (error) *error = trView("A line gives no tokens.");
    return false;
  }
  if (shortest != longest) {
    if (error)
      *error = trView("The lines give %1 to %2 tokens and the tokenizer has no padding token: make them the same "
                      "length in tokens.")
                   .arg(shortest)
                   .arg(longest);
    return false;
  }
  if (padded) batch.padToken = padToken;
  *out = std::move(batch);
  return true;
}

lathe::MemoryReport runMemoryReport(lathe::Session& session, const lathe::TokenBatch& batch) {
  lathe::ForwardRequest req;
  req.batch = batch;
  session.reset_memory_hooks();
  return session.memory(req);
}

lathe::MemoryReport runMemoryReport(lathe::Session& session, const TokenRows& ids) {
  lathe::TokenBatch batch;
  batch.input_ids = ids;
  return runMemoryReport(session, batch);
}

QVector<FootprintRow> footprintByDtype(const lathe::CheckpointInfo& info) {
  QSet<QString> later;  // second and further names of a shared storage
  for (const auto& group : info.shared_storage)
    for (std::size_t i = 1; i < group.size(); ++i) later.insert(QString::fromStdString(group[i]));
  std::map<QString, FootprintRow> by;
  for (const auto& t : info.tensors) {
    if (later.contains(QString::fromStdString(t.name))) continue;
    FootprintRow& row = by[QString::fromLatin1(lathe::dtype_code(t.dtype))];
    row.key = QString::fromLatin1(lathe::dtype_code(t.dtype));
    ++row.count;
    row.bytes += static_cast<qint64>(t.nbytes);
  }
  QVector<FootprintRow> rows;
  for (auto& [k, r] : by) rows.push_back(r);
  std::stable_sort(rows.begin(), rows.end(), [](const FootprintRow& a, const FootprintRow& b) { return a.bytes > b.bytes; });
  return rows;
}

std::vector<std::pair<QString, qint64>> tiedCopies(const std::vector<std::vector<std::string>>& tied,
                                                   const lathe::CheckpointInfo& info) {
  std::map<std::string, qint64> bytes;
  for (const auto& t : info.tensors) bytes[t.name] = static_cast<qint64>(t.nbytes);
  std::vector<std::pair<QString, qint64>> out;
  for (const auto& group : tied) {
    if (group.empty() || !bytes.count(group.front())) continue;
    for (std::size_t i = 1; i < group.size(); ++i) {
      const auto dot = group[i].rfind('.');
      out.emplace_back(QString::fromStdString(dot == std::string::npos ? std::string() : group[i].substr(0, dot)),
                       bytes[group.front()]);
    }
  }
  return out;
}

std::vector<qint64> ownBytes(const lathe::MemoryReport& report,
                             const std::vector<std::pair<QString, qint64>>& tiedCopies) {
  const auto& m = report.modules;
  std::vector<qint64> own(m.size());
  for (std::size_t i = 0; i < m.size(); ++i) {
    qint64 bytes = m[i].param_bytes + m[i].buffer_bytes;
    // Direct children follow in pre-order at depth + 1 until the depth drops back.
    for (std::size_t j = i + 1; j < m.size() && m[j].depth > m[i].depth; ++j)
      if (m[j].depth == m[i].depth + 1) bytes -= m[j].param_bytes + m[j].buffer_bytes;
    for (const auto& [module, copy] : tiedCopies)
      if (module.toStdString() == m[i].name) bytes -= copy;  // held by its first name's module
    own[i] = std::max<qint64>(bytes, 0);  // a parent holding both ends of a tie subtracts it twice
  }
  return own;
}

QVector<FootprintRow> footprintByModuleType(const lathe::MemoryReport& report,
                                            const std::vector<std::pair<QString, qint64>>& tied) {
  const std::vector<qint64> own = ownBytes(report, tied);
  std::map<QString, FootprintRow> by;
  for (std::size_t i = 0; i < report.modules.size(); ++i) {
    const QString type = QString::fromStdString(report.modules[i].type);
    FootprintRow& row = by[type];
    row.key = type;
    ++row.count;
    row.bytes += own[i];
  }
  QVector<FootprintRow> rows;
  for (auto& [k, r] : by) rows.push_back(r);
  std::stable_sort(rows.begin(), rows.end(), [](const FootprintRow& a, const FootprintRow& b) { return a.bytes > b.bytes; });
  return rows;
}

std::vector<int> modulesAtDepth(const lathe::MemoryReport& report, int depth) {
  std::vector<int> out;
  for (std::size_t i = 0; i < report.modules.size(); ++i)
    if (report.modules[i].depth == depth) out.push_back(static_cast<int>(i));
  return out;
}

int defaultChartDepth(const lathe::MemoryReport& report, int wanted) {
  int deepest = 0;
  for (const auto& m : report.modules) deepest = std::max(deepest, m.depth);
  for (int d = 0; d <= deepest; ++d) {
    int ran = 0;  // containers such as ModuleList have no forward of their own
    for (int i : modulesAtDepth(report, d)) ran += report.modules[static_cast<size_t>(i)].calls > 0;
    if (ran >= wanted) return d;
  }
  return deepest;
}

}  // namespace lathe::ui
