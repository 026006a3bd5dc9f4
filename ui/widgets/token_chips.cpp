#include "widgets/token_chips.h"

#include "bridge/error_text.h"
#include "core/error.h"
#include "text/tokenizer.h"

#include <QEvent>
#include <QHelpEvent>
#include <QLabel>
#include <QPainter>
#include <QPainterPath>
#include <QScrollArea>
#include <QScrollBar>
#include <QStringDecoder>
#include <QToolTip>
#include <QVBoxLayout>

#include <array>
#include <functional>

namespace lathe::ui {
namespace {

constexpr int kPadX = 5;    // text to chip border
constexpr int kPadY = 2;
constexpr int kGap = 3;     // between chips and around them
constexpr int kRowGap = 6;  // extra space between the rows of a batch

/// GPT-2's bytes_to_unicode() inverted: the byte each character of a
/// byte-level piece stands for (-1: not a byte-level character).
const std::array<int, 324>& byteOfChar() {
  static const std::array<int, 324> table = [] {
    std::array<int, 324> t{};
    t.fill(-1);
    int next = 256;
    for (int b = 0; b < 256; ++b) {
      const bool printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
      t[static_cast<std::size_t>(printable ? b : next++)] = b;
    }
    return t;
  }();
  return table;
}

QString hexByte(unsigned b) {
  return QStringLiteral("<0x%1>").arg(QString::number(b, 16).toUpper().rightJustified(2, QLatin1Char('0')));
}

/// Spaces, line breaks and tabs as visible marks; other control characters as
/// their byte, as SentencePiece's byte fallback writes them ("<0x00>").
QString visibleWhitespace(const QString& s) {
  QString out;
  out.reserve(s.size());
  for (const QChar c : s) {
    const char16_t u = c.unicode();
    if (u == ' ') out += QChar(0x2423);        // ␣
    else if (u == '\n') out += QChar(0x21B5);  // ↵
    else if (u == '\t') out += QChar(0x21E5);  // ⇥
    else if (u == '\r') out += QStringLiteral("\\r");
    else if (u < 0x20 || u == 0x7F) out += hexByte(u);
    else out += c;
  }
  return out;
}

/// A byte-level piece as text; bytes that are only part of a character as "<0xF0><0x9F>".
QString fromBytes(const QByteArray& bytes) {
  QStringDecoder strict(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
  const QString whole = strict.decode(bytes);
  if (!strict.hasError() && !whole.contains(QChar::ReplacementCharacter)) return visibleWhitespace(whole);
  QString out;
  for (char c : bytes) {
    const auto b = static_cast<unsigned char>(c);
    out += b < 0x80 ? visibleWhitespace(QString(QLatin1Char(c))) : hexByte(b);
  }
  return out;
}

/// Runs tokenizer work on the GUI thread. Encoding reports only invalid UTF-8,
/// which a QString cannot produce, and decoding skips unknown ids: this guard
/// is for the unexpected, so a tokenizer bug cannot end the workbench. The
/// user sees the translated sentence for the code (error_text), never the
/// engine's English.
bool guarded(const std::function<void()>& work, QString* error) {
  lathe::ErrorCode code = lathe::ErrorCode::Internal;
  try {
    work();
    return true;
  } catch (const lathe::Error& e) {
    code = e.code();
  } catch (const std::exception&) {
  }
  if (error) *error = TokenChips::tr("The tokenizer failed: %1").arg(errorText(code));
  return false;
}

struct ChipColors {
  QColor fill, border, text;
};

ChipColors colorsOf(const TokenChip& chip, int index) {
  // Alternating light hues show where one token ends and the next begins;
  // they keep dark text readable under light and dark themes alike.
  static const QColor kFills[] = {QColor(0xdb, 0xea, 0xfe), QColor(0xdc, 0xfc, 0xe7), QColor(0xfe, 0xf3, 0xc7),
                                  QColor(0xfc, 0xe7, 0xf3), QColor(0xed, 0xe9, 0xfe)};
  switch (chip.kind) {
    case TokenChip::Kind::Special: return {QColor(0x4c, 0x1d, 0x95), QColor(0x2e, 0x10, 0x65), Qt::white};
    case TokenChip::Kind::Padding: return {Qt::transparent, QColor(0x9c, 0xa3, 0xaf), QColor(0x6b, 0x72, 0x80)};
    case TokenChip::Kind::Invalid: return {QColor(0xfe, 0xe2, 0xe2), QColor(0xdc, 0x26, 0x26), QColor(0x99, 0x1b, 0x1b)};
    case TokenChip::Kind::Normal: break;
  }
  const QColor fill = kFills[index % 5];
  return {fill, fill.darker(125), QColor(0x1f, 0x29, 0x37)};
}

}  // namespace

/// The surface the chips are painted on; lives inside ChipScrollArea.
class ChipCanvas : public QWidget {
 public:
  ChipCanvas(TokenChips* owner, QWidget* parent) : QWidget(parent), m_owner(owner) {
    setAttribute(Qt::WA_OpaquePaintEvent, false);
  }

  int chipAt(const QPoint& pos) const {
    for (int i = 0; i < m_owner->m_rects.size(); ++i)
      if (m_owner->m_rects[i].contains(pos)) return i;
    return -1;
  }

 protected:
  bool event(QEvent* event) override {
    if (event->type() == QEvent::ToolTip) {
      auto* help = static_cast<QHelpEvent*>(event);
      const int i = chipAt(help->pos());
      if (i >= 0) QToolTip::showText(help->globalPos(), m_owner->toolTipFor(i), this, m_owner->m_rects[i]);
      else QToolTip::hideText();
      return true;
    }
    return QWidget::event(event);
  }

  void paintEvent(QPaintEvent*) override {
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QFontMetrics fm(font());
    QFont bold = font();
    bold.setBold(true);
    const QFontMetrics fmBold(bold);
    for (int i = 0; i < m_owner->m_flat.size(); ++i) {
      const TokenChip& chip = m_owner->m_flat[i];
      const QRectF r = QRectF(m_owner->m_rects[i]).adjusted(0.5, 0.5, -0.5, -0.5);
      const ChipColors c = colorsOf(chip, i);
      QPen pen(c.border, chip.kind == TokenChip::Kind::Invalid ? 1.6 : 1.0);
      if (chip.kind == TokenChip::Kind::Padding) pen.setStyle(Qt::DashLine);
      p.setPen(pen);
      p.setBrush(c.fill);
      p.drawRoundedRect(r, 5, 5);
      const bool special = chip.kind == TokenChip::Kind::Special;
      p.setFont(special ? bold : font());
      p.setPen(c.text);
      const QRect textRect = m_owner->m_rects[i].adjusted(kPadX, 0, -kPadX, 0);
      const QFontMetrics& m = special ? fmBold : fm;
      const bool fits = m.horizontalAdvance(chip.text) <= textRect.width();
      p.drawText(textRect, Qt::AlignCenter, fits ? chip.text : m.elidedText(chip.text, Qt::ElideRight, textRect.width()));
    }
  }

 private:
  TokenChips* m_owner;
};

/// Scrolls the canvas when the chips need more than the maximum lines; lays
/// them out again whenever its viewport changes width.
class ChipScrollArea : public QScrollArea {
 public:
  ChipScrollArea(TokenChips* owner, QWidget* parent) : QScrollArea(parent), m_owner(owner) {
    setFrameShape(QFrame::NoFrame);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setWidgetResizable(false);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
  }

 protected:
  bool viewportEvent(QEvent* event) override {
    const bool handled = QScrollArea::viewportEvent(event);
    if (event->type() == QEvent::Resize) m_owner->relayout();
    return handled;
  }

 private:
  TokenChips* m_owner;
};

QString visibleToken(const QString& token) {
  const auto& byteOf = byteOfChar();
  QByteArray bytes;
  bool byteLevel = !token.isEmpty();
  for (const QChar c : token) {
    const char16_t u = c.unicode();
    if (u >= byteOf.size() || byteOf[u] < 0) {
      byteLevel = false;
      break;
    }
    bytes.append(static_cast<char>(byteOf[u]));
  }
  if (byteLevel) return fromBytes(bytes);
  QString s = token;
  s.replace(QChar(0x2581), QLatin1Char(' '));  // SentencePiece's "▁"
  return visibleWhitespace(s);
}

ChipRow chipsFromEncoding(const lathe::TokenEncoding& e, const lathe::Tokenizer* tokenizer) {
  ChipRow row;
  row.reserve(static_cast<int>(e.ids.size()));
  for (std::size_t i = 0; i < e.ids.size(); ++i) {
    TokenChip c;
    c.id = e.ids[i];
    c.token = i < e.tokens.size() ? QString::fromStdString(e.tokens[i]) : QString();
    const bool padding = i < e.attention_mask.size() && e.attention_mask[i] == 0;
    const bool special = (i < e.special_tokens_mask.size() && e.special_tokens_mask[i] != 0) ||
                         (tokenizer && !padding && tokenizer->is_special_token(e.ids[i]));
    c.kind = padding ? TokenChip::Kind::Padding : special ? TokenChip::Kind::Special : TokenChip::Kind::Normal;
    c.text = c.kind == TokenChip::Kind::Normal ? visibleToken(c.token) : c.token;
    if (i < e.offsets.size() && !padding) {
      const auto [start, end] = e.offsets[i];
      // Special tokens the post-processor added sit at (0, 0): they have no characters.
      if (end > start || c.kind == TokenChip::Kind::Normal) {
        c.start = static_cast<qint64>(start);
        c.end = static_cast<qint64>(end);
      }
    }
    row.push_back(std::move(c));
  }
  return row;
}

ChipRow chipsFromIds(const std::vector<std::int64_t>& ids, const lathe::Tokenizer* tokenizer, qint64 vocabSize) {
  ChipRow row;
  row.reserve(static_cast<int>(ids.size()));
  for (const std::int64_t id : ids) {
    TokenChip c;
    c.id = id;
    if (vocabSize > 0 && id >= vocabSize) {
      c.kind = TokenChip::Kind::Invalid;
      c.note = TokenChips::tr("beyond the model's vocabulary of %1 ids").arg(vocabSize);
    }
    const bool fits = id >= 0 && id <= std::int64_t(0xFFFFFFFF);
    const auto token = tokenizer && fits ? tokenizer->id_to_token(static_cast<std::uint32_t>(id)) : std::nullopt;
    if (token) {
      c.token = QString::fromStdString(*token);
      if (c.kind == TokenChip::Kind::Normal && tokenizer->is_special_token(static_cast<std::uint32_t>(id)))
        c.kind = TokenChip::Kind::Special;
      c.text = c.kind == TokenChip::Kind::Special ? c.token : visibleToken(c.token);
    } else {
      c.text = QString::number(id);
      if (tokenizer && c.note.isEmpty()) c.note = TokenChips::tr("not in the tokenizer's vocabulary");
    }
    row.push_back(std::move(c));
  }
  return row;
}

bool encodeText(const lathe::Tokenizer& tokenizer, const QString& text, lathe::TokenEncoding* out,
                QString* error) {
  const QByteArray utf8 = text.toUtf8();
  return guarded([&] { *out = tokenizer.encode(std::string_view(utf8.constData(), std::size_t(utf8.size())), true); },
                 error);
}

bool encodeLines(const lathe::Tokenizer& tokenizer, const QStringList& lines,
                 std::vector<lathe::TokenEncoding>* out, QString* error) {
  std::vector<std::string> texts;
  for (const QString& line : lines) texts.push_back(line.toStdString());
  return guarded([&] { *out = tokenizer.encode_batch(texts, true); }, error);
}

QString decodeIds(const lathe::Tokenizer& tokenizer, const std::vector<qint64>& ids, std::size_t from,
                  std::size_t to, bool skipSpecialTokens) {
  std::vector<std::uint32_t> part;
  for (std::size_t i = from; i < std::min(to, ids.size()); ++i)
    if (ids[i] >= 0 && ids[i] <= qint64(0xFFFFFFFF)) part.push_back(static_cast<std::uint32_t>(ids[i]));
  std::string text;
  if (!guarded([&] { text = tokenizer.decode(part, skipSpecialTokens); }, nullptr)) return {};
  return QString::fromStdString(text);
}

TokenChips::TokenChips(QWidget* parent)
    : QWidget(parent), m_scroll(new ChipScrollArea(this, this)), m_count(new QLabel(this)) {
  m_canvas = new ChipCanvas(this, m_scroll);
  m_canvas->setObjectName(QStringLiteral("tokenChipsCanvas"));
  m_scroll->setWidget(m_canvas);
  m_count->setObjectName(QStringLiteral("tokenChipsCount"));
  QPalette muted = m_count->palette();
  muted.setColor(QPalette::WindowText, palette().color(QPalette::PlaceholderText));
  m_count->setPalette(muted);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->setSpacing(1);
  layout->addWidget(m_scroll);
  layout->addWidget(m_count);
  setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
  relayout();
  updateCount();
}

TokenChips::~TokenChips() = default;

void TokenChips::setChips(const ChipRow& chips) { setRows(chips.isEmpty() ? QVector<ChipRow>{} : QVector<ChipRow>{chips}); }

void TokenChips::setRows(const QVector<ChipRow>& rows) {
  m_rows = rows;
  m_flat.clear();
  for (const ChipRow& row : m_rows) m_flat += row;
  relayout();
  updateCount();
}

void TokenChips::clear() { setRows({}); }

void TokenChips::setMaximumLines(int lines) {
  m_maxLines = std::max(1, lines);
  relayout();
}

QString TokenChips::toolTipFor(int index) const {
  if (index < 0 || index >= m_flat.size()) return {};
  const TokenChip& c = m_flat[index];
  QStringList lines;
  const QString shown = c.token.isEmpty() ? c.text : c.token;
  lines << QStringLiteral("<b>%1</b>").arg(shown.toHtmlEscaped());
  lines << tr("id %1").arg(c.id);
  if (c.start >= 0) lines << tr("characters %1–%2").arg(c.start).arg(c.end);
  if (c.kind == TokenChip::Kind::Special) lines << tr("special token");
  if (c.kind == TokenChip::Kind::Padding) lines << tr("padding (attention mask 0)");
  if (!c.note.isEmpty()) lines << c.note.toHtmlEscaped();
  if (m_rows.size() > 1) {
    int row = 0, first = 0;
    while (row < m_rows.size() && index >= first + m_rows[row].size()) first += m_rows[row++].size();
    lines << tr("row %1, position %2").arg(row + 1).arg(index - first + 1);
  }
  return QStringLiteral("<p style='white-space:pre'>%1</p>").arg(lines.join(QStringLiteral("<br>")));
}

QRect TokenChips::chipRect(int index) const { return m_rects.value(index); }

QWidget* TokenChips::canvas() const { return m_canvas; }

QString TokenChips::countText() const { return m_count->text(); }

void TokenChips::relayout() {
  const int width = std::max(40, m_scroll->viewport()->width());
  const QFontMetrics fm(m_canvas->font());
  QFont bold = m_canvas->font();
  bold.setBold(true);
  const QFontMetrics fmBold(bold);
  const int lineHeight = fm.height() + 2 * kPadY;
  m_rects.clear();
  m_rects.reserve(m_flat.size());
  int x = kGap, y = kGap, lines = 1;
  auto newLine = [&](int extra) {
    x = kGap;
    y += lineHeight + kGap + extra;
    ++lines;
  };
  for (int r = 0; r < m_rows.size(); ++r) {
    if (r > 0) newLine(kRowGap);
    for (const TokenChip& chip : m_rows[r]) {
      const QFontMetrics& m = chip.kind == TokenChip::Kind::Special ? fmBold : fm;
      const int textWidth = std::max(m.horizontalAdvance(chip.text), fm.horizontalAdvance(QLatin1Char('M'))) + 2;
      const int w = std::min(textWidth + 2 * kPadX, width - 2 * kGap);
      if (x > kGap && x + w > width - kGap) newLine(0);
      m_rects.push_back(QRect(x, y, w, lineHeight));
      x += w + kGap;
    }
  }
  m_lines = lines;
  const int contentHeight = y + lineHeight + kGap;
  m_canvas->resize(width, contentHeight);
  const int shown = std::min(lines, m_maxLines);
  m_scroll->setFixedHeight(kGap + shown * (lineHeight + kGap) + (m_rows.size() > 1 && shown > 1 ? kRowGap : 0));
  m_canvas->update();
}

namespace {
/// tr("%n token(s)", n) reads "1 token", "12 tokens" in English too (no English
/// .qm is shipped: the source text is what English users see).
QString english(QString text, int n) { return text.replace(QStringLiteral("(s)"), n == 1 ? QString() : QStringLiteral("s")); }
}  // namespace

void TokenChips::updateCount() {
  const int n = m_flat.size();
  int special = 0, invalid = 0, padding = 0;
  for (const TokenChip& c : m_flat) {
    special += c.kind == TokenChip::Kind::Special;
    invalid += c.kind == TokenChip::Kind::Invalid;
    padding += c.kind == TokenChip::Kind::Padding;
  }
  QString text = english(m_rows.size() > 1 ? tr("%n token(s) in %1 rows", nullptr, n).arg(m_rows.size())
                                           : tr("%n token(s)", nullptr, n),
                         n);
  if (special > 0) text += QStringLiteral(" · ") + tr("%n special", nullptr, special);
  if (padding > 0) text += QStringLiteral(" · ") + tr("%n padding", nullptr, padding);
  if (invalid > 0) text += QStringLiteral(" · ") + tr("%n beyond the vocabulary", nullptr, invalid);
  m_count->setText(text);
}

void TokenChips::changeEvent(QEvent* event) {
  QWidget::changeEvent(event);
  if (event->type() == QEvent::LanguageChange) updateCount();
  if (event->type() == QEvent::FontChange || event->type() == QEvent::StyleChange) relayout();
}

}  // namespace lathe::ui
