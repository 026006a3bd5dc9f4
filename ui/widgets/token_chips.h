// TokenChips: the pieces of an encoding as chips — rounded rectangles with the
// token's characters (whitespace made visible: "Ġworld" shows as "␣world"),
// wrapping across lines, special tokens and padding drawn apart, ids beyond
// the vocabulary in red; a tooltip gives the id and character offsets; a
// count ("12 tokens") below. Used by Try It and the Memory view.
#pragma once

#include <QString>
#include <QVector>
#include <QWidget>

#include <cstdint>
#include <vector>

class QLabel;

namespace lathe {
class Tokenizer;
struct TokenEncoding;
}  // namespace lathe

namespace lathe::ui {

class ChipCanvas;
class ChipScrollArea;

/// One chip: a token as the model sees it.
struct TokenChip {
  enum class Kind { Normal, Special, Padding, Invalid };
  qint64 id = 0;
  QString token;                ///< the vocabulary entry ("Ġworld"); empty when unknown
  QString text;                 ///< what the chip shows ("␣world")
  qint64 start = -1, end = -1;  ///< [start, end) in characters of the typed text; -1: none
  Kind kind = Kind::Normal;
  QString note;                 ///< why the chip is Invalid, or other remarks
};
using ChipRow = QVector<TokenChip>;

/// "Ġworld" → "␣world": byte-level pieces back to their characters (a piece of
/// a character, or a control character, as its bytes: "<0xF0><0x9F>"), "▁" as
/// a space, then spaces, line breaks and tabs as visible marks (␣ ↵ ⇥).
QString visibleToken(const QString& token);
/// The chips of an encoding of typed text (offsets known; attention mask 0 =
/// padding). With `tokenizer`, special tokens typed in the text are marked too.
ChipRow chipsFromEncoding(const lathe::TokenEncoding& encoding, const lathe::Tokenizer* tokenizer = nullptr);
/// The chips of typed ids, looked up in `tokenizer` (may be null: ids only).
/// Ids not below `vocabSize` (when > 0) are Invalid.
ChipRow chipsFromIds(const std::vector<std::int64_t>& ids, const lathe::Tokenizer* tokenizer, qint64 vocabSize);

/// Tokenizer::encode / encode_batch for typed text, on the GUI thread (short
/// prompts only): false, with `error` a translated sentence, when it fails.
bool encodeText(const lathe::Tokenizer& tokenizer, const QString& text, lathe::TokenEncoding* out,
                QString* error);
bool encodeLines(const lathe::Tokenizer& tokenizer, const QStringList& lines,
                 std::vector<lathe::TokenEncoding>* out, QString* error);
/// Tokenizer::decode of ids[from, to) (special tokens kept unless skipped); ids the tokenizer
/// does not know are skipped (a null string only if decoding fails).
QString decodeIds(const lathe::Tokenizer& tokenizer, const std::vector<qint64>& ids, std::size_t from,
                  std::size_t to, bool skipSpecialTokens = false);

class TokenChips : public QWidget {
  Q_OBJECT

 public:
  explicit TokenChips(QWidget* parent = nullptr);
  ~TokenChips() override;

  /// One row of chips.
  void setChips(const ChipRow& chips);
  /// Several rows (a batch): each starts a new line.
  void setRows(const QVector<ChipRow>& rows);
  void clear();
  /// Lines shown before the chips scroll (default 4).
  void setMaximumLines(int lines);

  /// All chips, rows one after another.
  int count() const { return m_flat.size(); }
  const TokenChip& chip(int index) const { return m_flat.at(index); }
  QVector<TokenChip> chips() const { return m_flat; }
  int rowCount() const { return m_rows.size(); }
  /// What hovering chip `index` shows.
  QString toolTipFor(int index) const;
  /// The chip's rectangle in canvas() coordinates (for tests).
  QRect chipRect(int index) const;
  /// The widget the chips are painted on.
  QWidget* canvas() const;
  QString countText() const;

 protected:
  void changeEvent(QEvent* event) override;

 private:
  friend class ChipCanvas;
  friend class ChipScrollArea;
  void relayout();
  void updateCount();

  QVector<ChipRow> m_rows;
  QVector<TokenChip> m_flat;
  QVector<QRect> m_rects;  ///< per chip of m_flat, laid out for the canvas width
  int m_maxLines = 4;
  int m_lines = 0;
  ChipScrollArea* m_scroll;
  ChipCanvas* m_canvas;
  QLabel* m_count;
};

}  // namespace lathe::ui
