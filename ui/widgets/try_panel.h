// TryPanel (the "Try It" dock): for models that can generate, a prompt of
// token ids (space-separated integers), max new tokens, greedy or sampling
// (temperature, top-k, top-p, seed); Generate runs Session::generate in a job
// and shows the output ids, the continuation set apart from the prompt.
#pragma once

#include <QWidget>

#include <vector>

class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QRadioButton;
class QSpinBox;
class QTextEdit;

namespace lathe::ui {

class EngineDocument;

class TryPanel : public QWidget {
  Q_OBJECT

 public:
  explicit TryPanel(EngineDocument* document, QWidget* parent = nullptr);

  void setPrompt(const QString& ids);
  /// Parsed prompt; empty when the text is not a list of ids in the vocabulary.
  std::vector<std::int64_t> promptIds(QString* error = nullptr) const;
  /// Ids of the last generation (prompt included).
  const std::vector<qint64>& outputIds() const { return m_output; }

 public slots:
  void generate();

 signals:
  void generated();

 private:
  void refresh();
  void updateSampling();

  EngineDocument* m_document;
  QLabel* m_infoLabel;
  QLineEdit* m_promptEdit;
  QSpinBox* m_maxNewSpin;
  QRadioButton* m_greedyRadio;
  QRadioButton* m_sampleRadio;
  QDoubleSpinBox* m_temperatureSpin;
  QSpinBox* m_topKSpin;
  QDoubleSpinBox* m_topPSpin;
  QSpinBox* m_seedSpin;
  QPushButton* m_generateButton;
  QTextEdit* m_outputEdit;
  QLabel* m_statusLabel;
  std::vector<qint64> m_output;
  bool m_running = false;
};

}  // namespace lathe::ui
