#include "dialogs/save_model_dialog.h"

#include "bridge/engine_document.h"
#include "bridge/error_text.h"
#include "bridge/job_runner.h"
#include "dialogs/file_dialog.h"
#include "models/display_format.h"
#include "models/string_table_model.h"

#include <QComboBox>
#include <QDir>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QRegularExpression>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

namespace lathe::ui {
namespace {

// "5GB" (10^9), "500MB", "2GiB" (2^30) or plain bytes, as save_pretrained
// reads max_shard_size. Parsed here: the GUI does not catch engine errors.
quint64 parseShardSize(const QString& text, bool* ok) {
  static const QRegularExpression re(QStringLiteral("^\\s*([0-9]+(?:\\.[0-9]+)?)\\s*([KMGT]i?B|B)?\\s*$"),
                                     QRegularExpression::CaseInsensitiveOption);
  const QRegularExpressionMatch m = re.match(text);
  *ok = m.hasMatch();
  if (!*ok) return 0;
  const double value = m.captured(1).toDouble();
  const QString unit = m.captured(2).toUpper();
  double scale = 1;
  if (!unit.isEmpty() && unit != QLatin1String("B")) {
    const int power = QStringLiteral("KMGT").indexOf(unit.at(0)) + 1;
    const double base = unit.contains(QLatin1Char('I')) ? 1024.0 : 1000.0;
    for (int i = 0; i < power; ++i) scale *= base;
  }
  const double bytes = value * scale;
  *ok = bytes >= 1 && bytes < 1.8e19;
  return *ok ? static_cast<quint64>(bytes) : 0;
}

}  // namespace

SaveModelDialog::SaveModelDialog(EngineDocument* document, QWidget* parent)
    : QDialog(parent),
      m_document(document),
      m_folderEdit(new QLineEdit(this)),
      m_browseButton(new QPushButton(tr("Browse…"), this)),
      m_formatCombo(new QComboBox(this)),
      m_shardEdit(new QLineEdit(QStringLiteral("5GB"), this)),
      m_variantEdit(new QLineEdit(this)),
      m_dtypeCombo(new QComboBox(this)),
      m_view(new QTableView(this)),
      m_model(new StringTableModel(this)),
      m_statusLabel(new QLabel(this)),
      m_progress(new QProgressBar(this)),
      m_saveButton(new QPushButton(tr("&Save"), this)),
      m_closeButton(new QPushButton(tr("Close"), this)),
      m_previewTimer(new QTimer(this)) {
  setObjectName(QStringLiteral("saveModelDialog"));
  setWindowTitle(tr("Save Model"));
  m_folderEdit->setObjectName(QStringLiteral("saveFolderEdit"));
  m_folderEdit->setPlaceholderText(tr("Folder to save into (replaced as a whole)"));
  m_browseButton->setObjectName(QStringLiteral("saveBrowseButton"));
  m_formatCombo->setObjectName(QStringLiteral("saveFormatCombo"));
  m_formatCombo->addItem(tr("safetensors"), false);
  m_formatCombo->addItem(tr("PyTorch .bin"), true);
  m_shardEdit->setObjectName(QStringLiteral("saveShardSizeEdit"));
  m_shardEdit->setToolTip(tr("For example 5GB, 500MB or 2GiB"));
  m_variantEdit->setObjectName(QStringLiteral("saveVariantEdit"));
  m_variantEdit->setPlaceholderText(tr("none (e.g. fp16)"));
  m_dtypeCombo->setObjectName(QStringLiteral("saveDtypeCombo"));
  m_dtypeCombo->addItem(tr("Keep current"), QString());
  for (const char* d : {"float32", "bfloat16", "float16"})
    m_dtypeCombo->addItem(QLatin1String(d), QLatin1String(d));
  m_view->setObjectName(QStringLiteral("savePreviewTable"));
  m_model->setObjectName(QStringLiteral("savePreviewModel"));
  m_model->setHeaders({tr("Action"), tr("File"), tr("Details")});
  m_view->setModel(m_model);
  m_view->verticalHeader()->hide();
  m_view->horizontalHeader()->setStretchLastSection(true);
  m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
  m_view->setAlternatingRowColors(true);
  m_statusLabel->setObjectName(QStringLiteral("saveStatusLabel"));
  m_statusLabel->setWordWrap(true);
  m_progress->setObjectName(QStringLiteral("saveProgress"));
  m_progress->setTextVisible(false);
  m_progress->setRange(0, 1000);
  m_progress->setValue(0);
  m_saveButton->setObjectName(QStringLiteral("saveButton"));
  m_saveButton->setDefault(true);
  m_closeButton->setObjectName(QStringLiteral("saveCloseButton"));
  m_previewTimer->setSingleShot(true);
  m_previewTimer->setInterval(200);

  auto* folder = new QHBoxLayout;
  folder->addWidget(m_folderEdit, 1);
  folder->addWidget(m_browseButton);
  auto* form = new QFormLayout;
  form->addRow(tr("&Folder:"), folder);
  if (auto* label = qobject_cast<QLabel*>(form->labelForField(folder))) label->setBuddy(m_folderEdit);
  form->addRow(tr("F&ormat:"), m_formatCombo);
  form->addRow(tr("Maximum &shard size:"), m_shardEdit);
  form->addRow(tr("&Variant:"), m_variantEdit);
  form->addRow(tr("&Data type:"), m_dtypeCombo);
  auto* buttons = new QHBoxLayout;
  buttons->addWidget(m_progress, 1);
  buttons->addStretch(0);
  buttons->addWidget(m_saveButton);
  buttons->addWidget(m_closeButton);
  auto* layout = new QVBoxLayout(this);
  layout->addLayout(form);
  layout->addWidget(new QLabel(tr("Dry run — what saving will do:"), this));
  layout->addWidget(m_view, 1);
  layout->addWidget(m_statusLabel);
  layout->addLayout(buttons);
  resize(680, 500);

  connect(m_browseButton, &QPushButton::clicked, this, &SaveModelDialog::browse);
  connect(m_previewTimer, &QTimer::timeout, this, &SaveModelDialog::refreshPreview);
  for (QLineEdit* e : {m_folderEdit, m_shardEdit, m_variantEdit})
    connect(e, &QLineEdit::textChanged, this, &SaveModelDialog::schedulePreview);
  connect(m_formatCombo, &QComboBox::currentIndexChanged, this, &SaveModelDialog::schedulePreview);
  connect(m_dtypeCombo, &QComboBox::currentIndexChanged, this, &SaveModelDialog::schedulePreview);
  connect(m_saveButton, &QPushButton::clicked, this, &SaveModelDialog::save);
  connect(m_closeButton, &QPushButton::clicked, this, &QDialog::accept);
  connect(m_document->jobRunner(), &JobRunner::progressed, this,
          [this](const QString& stage, qint64 done, qint64 total) {
            if (!m_saving) return;
            if (total > 0) m_progress->setValue(static_cast<int>(qMin(done, total) * 1000 / total));
            m_statusLabel->setText(tr("Saving: %1").arg(stage));
          });
  connect(m_document, &EngineDocument::saveFinished, this,
          [this](const QString& dir, const lathe::SaveReport& report) {
            if (!m_saving) return;
            m_saving = false;
            m_progress->setValue(m_progress->maximum());
            m_statusLabel->setText(tr("Saved %1 files (%2) to %3.")
                                       .arg(report.files.size())
                                       .arg(formatBytes(report.total_size), QDir::toNativeSeparators(dir)));
            updateButtons();
            emit saved(dir);
            schedulePreview();
          });
  connect(m_document, &EngineDocument::operationFailed, this,
          [this](const QString&, const JobFailure& failure) {
            if (!m_saving) return;
            m_saving = false;
            m_progress->setValue(0);
            m_statusLabel->setText(failure.cancelled ? tr("Saving cancelled; the folder is unchanged.")
                                                     : tr("Could not save: %1 [%2]")
                                                           .arg(errorText(failure), errorCodeName(failure.code)));
            updateButtons();
          });
  updateButtons();
}

void SaveModelDialog::setFolder(const QString& dir) {
  m_folderEdit->setText(QDir::toNativeSeparators(dir));
  refreshPreview();
}

QString SaveModelDialog::folder() const { return QDir::fromNativeSeparators(m_folderEdit->text().trimmed()); }

lathe::SaveOptions SaveModelDialog::saveOptions(bool* ok) const {
  lathe::SaveOptions opts;
  opts.bin = m_formatCombo->currentData().toBool();
  opts.variant = m_variantEdit->text().trimmed().toStdString();
  opts.dtype = m_dtypeCombo->currentData().toString().toStdString();
  bool parsed = false;
  const quint64 size = parseShardSize(m_shardEdit->text(), &parsed);
  if (parsed) opts.max_shard_size = size;
  if (ok) *ok = parsed;
  return opts;
}

void SaveModelDialog::browse() {
  const QString chosen = FileDialog::getSaveFolder(this, folder().isEmpty() ? QDir::homePath() : folder());
  if (!chosen.isEmpty()) setFolder(chosen);
}

void SaveModelDialog::schedulePreview() {
  m_hasPreview = false;
  updateButtons();
  m_previewTimer->start();
}

void SaveModelDialog::refreshPreview() {
  m_previewTimer->stop();
  const int serial = ++m_previewSerial;
  m_hasPreview = false;
  bool ok = false;
  const lathe::SaveOptions opts = saveOptions(&ok);
  if (!m_document->isLive()) {
    m_model->clear();
    m_statusLabel->setText(tr("Load a model first (File > Load Model…)."));
    updateButtons();
    return;
  }
  if (folder().isEmpty() || !ok) {
    m_model->clear();
    m_statusLabel->setText(ok ? tr("Choose a folder.") : tr("The shard size is not a size (e.g. 5GB)."));
    updateButtons();
    return;
  }
  m_document->previewSave(
      folder(), opts, this,
      [this, serial](lathe::SaveReport&& r) {
        if (serial != m_previewSerial) return;
        QVector<StringTableModel::Row> rows;
        std::size_t shard = 0;  // shards belong to the weight files, in order
        for (std::size_t i = 0; i < r.files.size(); ++i) {
          QString details;
          const bool weights = !QString::fromStdString(r.files[i]).endsWith(QLatin1String(".json"));
          if (weights && shard < r.shards.size()) details = tr("%1 tensors").arg(r.shards[shard++].size());
          rows.push_back({{tr("write"), QString::fromStdString(r.files[i]), details}, StringTableModel::Tone::Added});
        }
        for (const auto& f : r.deleted)
          rows.push_back({{tr("delete"), QString::fromStdString(f), tr("stale shard of an earlier save")},
                          StringTableModel::Tone::Removed});
        for (const auto& t : r.dropped_tied)
          rows.push_back({{tr("drop"), QString::fromStdString(t), tr("tied duplicate, restored on load")},
                          StringTableModel::Tone::Warning});
        m_model->setRows(std::move(rows));
        m_view->resizeColumnToContents(0);
        m_view->resizeColumnToContents(1);
        m_statusLabel->setText(tr("%1 of weights in %2 files; %3 to delete, %4 tied duplicates dropped.")
                                   .arg(formatBytes(r.total_size))
                                   .arg(r.files.size())
                                   .arg(r.deleted.size())
                                   .arg(r.dropped_tied.size()));
        m_hasPreview = true;
        updateButtons();
        emit previewReady();
      },
      [this, serial](const JobFailure& failure) {
        if (serial != m_previewSerial || failure.cancelled) return;
        m_model->clear();
        m_statusLabel->setText(tr("Cannot save there: %1 [%2]")
                                   .arg(errorText(failure), errorCodeName(failure.code)));
        updateButtons();
      });
}

void SaveModelDialog::save() {
  bool ok = false;
  const lathe::SaveOptions opts = saveOptions(&ok);
  if (!ok || folder().isEmpty() || !m_document->isLive() || m_saving) return;
  m_saving = true;
  m_progress->setValue(0);
  m_statusLabel->setText(tr("Saving…"));
  updateButtons();
  m_document->save(folder(), opts);
}

void SaveModelDialog::updateButtons() {
  bool ok = false;
  saveOptions(&ok);
  m_progress->setVisible(m_saving);
  m_saveButton->setEnabled(!m_saving && ok && !folder().isEmpty() && m_document->isLive());
  for (QWidget* w : std::initializer_list<QWidget*>{m_folderEdit, m_browseButton, m_formatCombo, m_shardEdit,
                                                    m_variantEdit, m_dtypeCombo})
    w->setEnabled(!m_saving);
}

}  // namespace lathe::ui
