// TryPanel (the "Try It" dock): for models that can generate, a text prompt
// tokenized with the model folder's tokenizer (read with the model, off the GUI
// thread, see LoadedModel::tokenizer) and shown as token chips as you type; a
// "Token ids" toggle takes raw ids instead (forced when the folder has no
// tokenizer, and the panel says so). Max new tokens, greedy or sampling
// (temperature, top-k, top-p, seed); Generate runs Session::generate in a job
// and shows the decoded text, the continuation set apart from the prompt, the
// ids on demand. An invalid prompt says why in the status line.
#pragma once

#include "widgets/token_chips.h"

#include <QWidget>

#include <cstdint>
#include <vector>

class QCheckBox;
class QDoubleSpinBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QRadioButton;
class QSpinBox;
class QTextEdit;
class QTimer;

namespace lathe {
class Tokenizer;
}

namespace lathe::ui {

class EngineDocument;

class TryPanel : public QWidget {
  Q_OBJECT

 public:
  explicit TryPanel(EngineDocument* document, QWidget* parent = nullptr);

  /// Sets the prompt as typed in the current mode (text, or ids in ids mode).
  void setPrompt(const QString& prompt);
  /// Ids mode: the prompt is token ids separated by spaces. Without a
  /// tokenizer the panel stays in ids mode whatever is asked.
  void setIdsMode(bool ids);
  bool isIdsMode() const;
  /// The prompt's token ids; empty (and `error` set) when the prompt is empty,
  /// not valid ids, or holds ids beyond the vocabulary.
  std::vector<std::int64_t> promptIds(QString* error = nullptr) const;
  /// Ids of the last generation (prompt included), and how many were the prompt.
  const std::vector<qint64>& outputIds() const { return m_output; }
  std::size_t outputPromptLength() const { return m_outputPromptLength; }
  /// The last generation decoded: the prompt part and the continuation.
  QString outputPromptText() const { return m_outputPromptText; }
  QString outputNewText() const { return m_outputNewText; }
  TokenChips* tokenChips() const { return m_chips; }

 public slots:
  void generate();

 signals:
  void generated();

 private:
  struct Prompt {
    std::vector<std::int64_t> ids;
    QString error;  ///< empty when ids can be generated from
  };
  /// The prompt as ids, in the current mode; `chips` (if given) gets its chips.
  Prompt analyse(ChipRow* chips = nullptr) const;
  Prompt analyseText(const lathe::Tokenizer& tokenizer, qint64 vocab, ChipRow* chips) const;
  Prompt analyseIds(const lathe::Tokenizer* tokenizer, qint64 vocab, ChipRow* chips) const;
  const lathe::Tokenizer* tokenizer() const;
  void documentChanged();
  void promptEdited();
  void idsModeToggled(bool ids);
  void updateChips();
  void refresh();
  void showOutput();
  void updateSampling();

  EngineDocument* m_document;
  QLabel* m_infoLabel;
  QLabel* m_tokenizerLabel;
  QLineEdit* m_promptEdit;
  QCheckBox* m_idsCheck;
  TokenChips* m_chips;
  QSpinBox* m_maxNewSpin;
  QRadioButton* m_greedyRadio;
  QRadioButton* m_sampleRadio;
  QDoubleSpinBox* m_temperatureSpin;
  QSpinBox* m_topKSpin;
  QDoubleSpinBox* m_topPSpin;
  QSpinBox* m_seedSpin;
  QGroupBox* m_samplingBox;
  QPushButton* m_generateButton;
  QTextEdit* m_outputEdit;
  QCheckBox* m_showIdsCheck;
  QLabel* m_statusLabel;
  QTimer* m_chipTimer;

  Prompt m_prompt;            ///< the last analysis of the prompt
  bool m_promptStale = true;  ///< typed since: the chip timer runs
  bool m_wantIds = false;     ///< the user's choice; without a tokenizer ids mode is forced
  QString m_resultText;       ///< the last generation's status line
  std::vector<qint64> m_output;
  std::size_t m_outputPromptLength = 0;
  QString m_outputPromptText, m_outputNewText;
  bool m_outputDecoded = false;  ///< the last output was decoded with a tokenizer
  bool m_running = false;
};

}  // namespace lathe::ui
