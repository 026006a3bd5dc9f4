// ParamTreeSnapshot, ParamTreeModel and ParamTreeFilterModel without widgets.
#include "analysis/param_tree.h"
#include "models/display_format.h"
#include "models/param_tree_filter_model.h"
#include "models/param_tree_model.h"
#include "synthetic_checkpoint.h"

#include <QAbstractItemModelTester>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QtTest>

#include <memory>

using lathe::ParamTreeNode;
using lathe::ParamTreeSnapshot;
using lathe::ui::ParamTreeFilterModel;
using lathe::ui::ParamTreeModel;

namespace {

std::shared_ptr<const ParamTreeSnapshot> snapshotOf(const lathe::CheckpointInfo& info) {
  return std::make_shared<const ParamTreeSnapshot>(ParamTreeSnapshot::build(info));
}

QStringList childNames(const QAbstractItemModel& model, const QModelIndex& parent = {}) {
  QStringList names;
  for (int r = 0; r < model.rowCount(parent); ++r)
    names << model.index(r, 0, parent).data().toString();
  return names;
}

// Every path (column 0, PathRole) reachable in `model`, depth first.
void collectPaths(const QAbstractItemModel& model, const QModelIndex& parent, QStringList& out) {
  for (int r = 0; r < model.rowCount(parent); ++r) {
    const QModelIndex i = model.index(r, 0, parent);
    out << i.data(ParamTreeModel::PathRole).toString();
    collectPaths(model, i, out);
  }
}

}  // namespace

class TestModels : public QObject {
  Q_OBJECT

 private slots:
  void snapshotBuildsModules();
  void snapshotSortsLayerIndicesNumerically();
  void snapshotTotalsCountTiedWeightsOnce();
  void snapshotMarksMixedDtypeAndFile();
  void snapshotFind();
  void snapshotOfEmptyCheckpoint();
  void modelPassesTester();
  void modelDisplaysFormattedNumbers();
  void modelRolesAndPaths();
  void modelResetsOnNewSnapshot();
  void proxyPassesTesterWhileFiltering();
  void filterKeepsAncestorsAndSubtrees();
  void filterWildcardAndCase();
  void sortBySizeUsesNumbers();
  void formatHelpers();
  void largeSnapshotIsFast();
};

void TestModels::snapshotBuildsModules() {
  const auto s = ParamTreeSnapshot::build(lathe::test::makeGpt2Like(2));
  const auto& root = s.node(s.root());
  QCOMPARE(root.children.size(), std::size_t(2));
  QCOMPARE(QString::fromStdString(s.node(root.children[0]).name), QStringLiteral("transformer"));
  QCOMPARE(QString::fromStdString(s.node(root.children[1]).name), QStringLiteral("lm_head"));

  const int attn = s.find("transformer.h.1.attn.c_attn");
  QVERIFY(attn > 0);
  const auto& node = s.node(attn);
  QCOMPARE(QString::fromStdString(node.path), QStringLiteral("transformer.h.1.attn.c_attn"));
  QCOMPARE(node.children.size(), std::size_t(2));  // bias, weight in file order
  QCOMPARE(QString::fromStdString(s.node(node.children[0]).name), QStringLiteral("bias"));
  QVERIFY(node.is_module());
  const auto& weight = s.node(node.children[1]);
  QVERIFY(weight.is_tensor());
  const auto& t = s.tensors[static_cast<std::size_t>(weight.tensor)];
  QCOMPARE(t.shape, (std::vector<std::int64_t>{32, 96}));
  QCOMPARE(t.nbytes, std::uint64_t(32 * 96 * 4));
  QCOMPARE(node.bytes, std::uint64_t((96 + 32 * 96) * 4));
  QCOMPARE(node.elements, std::uint64_t(96 + 32 * 96));
  QCOMPARE(node.tensor_count, 2u);
  // Rows match positions in the parent.
  for (int i = 0; i < s.size(); ++i) {
    const auto& n = s.node(i);
    if (n.parent < 0) continue;
    QCOMPARE(s.node(n.parent).children[static_cast<std::size_t>(n.row)], i);
  }
}

void TestModels::snapshotSortsLayerIndicesNumerically() {
  const auto s = ParamTreeSnapshot::build(lathe::test::makeGpt2Like(12));
  const int h = s.find("transformer.h");
  QVERIFY(h > 0);
  QStringList names;
  for (int c : s.node(h).children) names << QString::fromStdString(s.node(c).name);
  QStringList expected;
  for (int i = 0; i < 12; ++i) expected << QString::number(i);
  QCOMPARE(names, expected);
  // Non-numeric siblings keep first-seen order.
  QStringList top;
  for (int c : s.node(s.find("transformer")).children) top << QString::fromStdString(s.node(c).name);
  QCOMPARE(top, (QStringList{"h", "ln_f", "wte"}));
}

void TestModels::snapshotTotalsCountTiedWeightsOnce() {
  const auto info = lathe::test::makeGpt2Like(2);
  const auto s = ParamTreeSnapshot::build(info);
  QCOMPARE(s.node(s.root()).bytes, info.total_bytes);
  QCOMPARE(s.node(s.root()).elements, info.total_elements);
  QCOMPARE(s.node(s.root()).tensor_count, std::uint32_t(info.tensors.size()));
  QCOMPARE(s.shared_groups.size(), std::size_t(1));
  const int lm = s.find("lm_head.weight");
  const auto& tied = s.tensors[static_cast<std::size_t>(s.node(lm).tensor)];
  QCOMPARE(s.tensors[static_cast<std::size_t>(tied.tied_to)].name, std::string("transformer.wte.weight"));
  QCOMPARE(s.node(lm).bytes, std::uint64_t(0));
  QCOMPARE(s.node(s.find("transformer.wte.weight")).bytes, std::uint64_t(100 * 32 * 4));
  QCOMPARE(s.share(s.root()), 1.0);
}

void TestModels::snapshotMarksMixedDtypeAndFile() {
  const auto s = ParamTreeSnapshot::build(lathe::test::makeGpt2Like(2));
  QCOMPARE(s.files.size(), std::size_t(2));
  QCOMPARE(s.node(s.find("transformer.h.0.attn")).dtype, static_cast<int>(lathe::DType::F32));
  QCOMPARE(s.node(s.find("transformer.h.0")).dtype, ParamTreeNode::kMixed);
  QCOMPARE(s.node(s.find("transformer.h")).file, 0);
  QCOMPARE(s.node(s.find("transformer")).file, ParamTreeNode::kMixed);
  QCOMPARE(s.node(s.find("lm_head")).file, 1);
}

void TestModels::snapshotFind() {
  const auto s = ParamTreeSnapshot::build(lathe::test::makeGpt2Like(3));
  QCOMPARE(s.find(""), 0);
  QVERIFY(s.find("transformer.h.2.mlp.c_fc.weight") > 0);
  QCOMPARE(s.find("transformer.h.3"), -1);
  QCOMPARE(s.find("transformer.h.2.mlp.c_fc.weight.x"), -1);
}

void TestModels::snapshotOfEmptyCheckpoint() {
  const auto s = ParamTreeSnapshot::build(lathe::CheckpointInfo{});
  QCOMPARE(s.size(), 1);
  QCOMPARE(s.share(0), 0.0);
  ParamTreeModel model;
  model.setSnapshot(std::make_shared<const ParamTreeSnapshot>(s));
  QCOMPARE(model.rowCount(), 0);
}

void TestModels::modelPassesTester() {
  ParamTreeModel model;
  QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
  model.setSnapshot(snapshotOf(lathe::test::makeGpt2Like(3)));
  QCOMPARE(model.rowCount(), 2);
  QCOMPARE(model.columnCount(), int(ParamTreeModel::ColumnCount));
  QStringList paths;
  collectPaths(model, {}, paths);
  QCOMPARE(paths.size(), ParamTreeSnapshot::build(lathe::test::makeGpt2Like(3)).size() - 1);
  model.setSnapshot(nullptr);
  QCOMPARE(model.rowCount(), 0);
}

void TestModels::modelDisplaysFormattedNumbers() {
  QLocale::setDefault(QLocale::c());
  ParamTreeModel model;
  model.setSnapshot(snapshotOf(lathe::test::makeGpt2Like(2, 32, 100000)));
  const QModelIndex wte = model.indexForPath(QStringLiteral("transformer.wte.weight"));
  QVERIFY(wte.isValid());
  auto cell = [&](int column, int role = Qt::DisplayRole) {
    return wte.siblingAtColumn(column).data(role);
  };
  QCOMPARE(cell(ParamTreeModel::NameColumn).toString(), QStringLiteral("weight"));
  QCOMPARE(cell(ParamTreeModel::ShapeColumn).toString(), QStringLiteral("100000 × 32"));
  QCOMPARE(cell(ParamTreeModel::DTypeColumn).toString(), QStringLiteral("F32"));
  QCOMPARE(cell(ParamTreeModel::ParametersColumn).toString(), QStringLiteral("3,200,000"));
  QCOMPARE(cell(ParamTreeModel::BytesColumn).toString(), QStringLiteral("12.21 MiB"));
  QCOMPARE(cell(ParamTreeModel::FileColumn).toString(), QStringLiteral("extra.safetensors"));
  QVERIFY(cell(ParamTreeModel::ShareColumn).toString().endsWith(QLatin1String(" %")));
  const auto align = cell(ParamTreeModel::BytesColumn, Qt::TextAlignmentRole).value<Qt::Alignment>();
  QVERIFY(align & Qt::AlignRight);
  const QModelIndex h0 = model.indexForPath(QStringLiteral("transformer.h.0"));
  QCOMPARE(h0.siblingAtColumn(ParamTreeModel::DTypeColumn).data().toString(), QStringLiteral("mixed"));
  QCOMPARE(h0.siblingAtColumn(ParamTreeModel::ShapeColumn).data().toString(), QString());
}

void TestModels::modelRolesAndPaths() {
  ParamTreeModel model;
  model.setSnapshot(snapshotOf(lathe::test::makeGpt2Like(2)));
  const QModelIndex lm = model.indexForPath(QStringLiteral("lm_head.weight"));
  QVERIFY(lm.isValid());
  QCOMPARE(lm.data(ParamTreeModel::PathRole).toString(), QStringLiteral("lm_head.weight"));
  QCOMPARE(lm.data(ParamTreeModel::IsTensorRole).toBool(), true);
  QCOMPARE(lm.data(ParamTreeModel::TiedToRole).toString(), QStringLiteral("transformer.wte.weight"));
  QCOMPARE(lm.data(ParamTreeModel::BytesRole).toULongLong(), 0ull);
  QCOMPARE(model.parent(lm), model.indexForPath(QStringLiteral("lm_head")));
  const QModelIndex t = model.index(0, 0);
  QCOMPARE(t.data(ParamTreeModel::IsTensorRole).toBool(), false);
  QCOMPARE(t.data(ParamTreeModel::TensorCountRole).toInt(), 2 * 4 + 2);
  QVERIFY(qAbs(t.data(ParamTreeModel::ShareRole).toDouble() +
               model.index(1, 0).data(ParamTreeModel::ShareRole).toDouble() - 1.0) < 1e-9);
  QVERIFY(!model.indexForPath(QStringLiteral("no.such.module")).isValid());
  QVERIFY(model.roleNames().contains(ParamTreeModel::PathRole));
}

void TestModels::modelResetsOnNewSnapshot() {
  ParamTreeModel model;
  QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
  model.setSnapshot(snapshotOf(lathe::test::makeGpt2Like(1)));
  model.setSnapshot(snapshotOf(lathe::test::makeGpt2Like(4)));
  QCOMPARE(reset.count(), 2);
  QCOMPARE(model.rowCount(model.indexForPath(QStringLiteral("transformer.h"))), 4);
}

void TestModels::proxyPassesTesterWhileFiltering() {
  ParamTreeModel model;
  ParamTreeFilterModel proxy;
  proxy.setSourceModel(&model);
  QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
  model.setSnapshot(snapshotOf(lathe::test::makeGpt2Like(3)));
  proxy.setFilterText(QStringLiteral("c_attn"));
  proxy.sort(ParamTreeModel::BytesColumn, Qt::DescendingOrder);
  proxy.setFilterText(QStringLiteral("*.bias"));
  proxy.setFilterText(QString());
  proxy.sort(-1);
  model.setSnapshot(snapshotOf(lathe::test::makeGpt2Like(2)));
  QCOMPARE(proxy.rowCount(), 2);
}

void TestModels::filterKeepsAncestorsAndSubtrees() {
  ParamTreeModel model;
  ParamTreeFilterModel proxy;
  proxy.setSourceModel(&model);
  model.setSnapshot(snapshotOf(lathe::test::makeGpt2Like(3)));
  QSignalSpy changed(&proxy, &ParamTreeFilterModel::filterTextChanged);

  proxy.setFilterText(QStringLiteral("c_attn"));
  QCOMPARE(changed.count(), 1);
  QCOMPARE(childNames(proxy), QStringList{"transformer"});
  QStringList paths;
  collectPaths(proxy, {}, paths);
  QStringList leaves;
  for (const QString& p : paths)
    if (p.endsWith(QLatin1String(".weight")) || p.endsWith(QLatin1String(".bias"))) leaves << p;
  QCOMPARE(leaves.size(), 3 * 2);
  for (const QString& p : leaves) QVERIFY2(p.contains(QLatin1String("c_attn")), qPrintable(p));

  // A module match keeps its whole subtree.
  proxy.setFilterText(QStringLiteral("h.1"));
  const QModelIndex h1 = proxy.index(0, 0, proxy.index(0, 0, proxy.index(0, 0)));
  QCOMPARE(h1.data(ParamTreeModel::PathRole).toString(), QStringLiteral("transformer.h.1"));
  QCOMPARE(childNames(proxy, h1), (QStringList{"attn", "ln_1", "mlp"}));

  proxy.setFilterText(QStringLiteral("does-not-exist"));
  QCOMPARE(proxy.rowCount(), 0);
  proxy.setFilterText(QString());
  QCOMPARE(proxy.rowCount(), 2);
}

void TestModels::filterWildcardAndCase() {
  ParamTreeModel model;
  ParamTreeFilterModel proxy;
  proxy.setSourceModel(&model);
  model.setSnapshot(snapshotOf(lathe::test::makeGpt2Like(2)));
  proxy.setFilterText(QStringLiteral("LM_HEAD"));
  QCOMPARE(childNames(proxy), QStringList{"lm_head"});
  proxy.setFilterText(QStringLiteral("*.bias"));
  QStringList paths;
  collectPaths(proxy, {}, paths);
  for (const QString& p : paths)
    QVERIFY2(QStringLiteral("transformer.h.0.attn.c_attn.bias").startsWith(p) ||
                 QStringLiteral("transformer.h.1.attn.c_attn.bias").startsWith(p) ||
                 p.endsWith(QLatin1String(".bias")),
             qPrintable(p));
  QVERIFY(paths.contains(QStringLiteral("transformer.h.1.attn.c_attn.bias")));
  QVERIFY(!paths.contains(QStringLiteral("lm_head")));
}

void TestModels::sortBySizeUsesNumbers() {
  ParamTreeModel model;
  ParamTreeFilterModel proxy;
  proxy.setSourceModel(&model);
  model.setSnapshot(snapshotOf(lathe::test::makeGpt2Like(2)));
  proxy.sort(ParamTreeModel::BytesColumn, Qt::DescendingOrder);
  const QModelIndex transformer = proxy.index(0, 0);
  QCOMPARE(transformer.data().toString(), QStringLiteral("transformer"));
  const QModelIndex layer0 = proxy.mapFromSource(model.indexForPath(QStringLiteral("transformer.h.0")));
  // attn 12,672 B (F32) > mlp 8,192 B (BF16) > ln_1 128 B
  QCOMPARE(childNames(proxy, layer0), (QStringList{"attn", "mlp", "ln_1"}));
  proxy.sort(ParamTreeModel::NameColumn, Qt::AscendingOrder);  // checkpoint order again
  QCOMPARE(childNames(proxy, proxy.mapFromSource(model.indexForPath(QStringLiteral("transformer.h.0")))),
           (QStringList{"attn", "ln_1", "mlp"}));
}

void TestModels::formatHelpers() {
  QLocale::setDefault(QLocale::c());
  using namespace lathe::ui;
  QCOMPARE(formatCount(1234567), QStringLiteral("1,234,567"));
  QCOMPARE(formatBytes(512), QStringLiteral("512 B"));
  QCOMPARE(formatBytes(1536), QStringLiteral("1.50 KiB"));
  QCOMPARE(formatBytes(3ull << 30), QStringLiteral("3.00 GiB"));
  QCOMPARE(formatShare(0.1234), QStringLiteral("12.3 %"));
  QCOMPARE(formatShare(0.0), QStringLiteral("0.0 %"));
  QCOMPARE(formatShare(0.0001), QStringLiteral("<0.1 %"));
  QCOMPARE(formatShape({}), QStringLiteral("scalar"));
  QCOMPARE(formatShape({2, 3, 4}), QStringLiteral("2 × 3 × 4"));
  QLocale::setDefault(QLocale(QLocale::German, QLocale::Germany));
  QCOMPARE(formatCount(1234567), QStringLiteral("1.234.567"));
  QLocale::setDefault(QLocale::c());
}

void TestModels::largeSnapshotIsFast() {
  const auto info = lathe::test::makeLarge(10000);
  QCOMPARE(info.tensors.size(), std::size_t(100000));
  QElapsedTimer timer;
  timer.start();
  auto snapshot = snapshotOf(info);
  const qint64 buildMs = timer.elapsed();

  timer.restart();
  ParamTreeModel model;
  ParamTreeFilterModel proxy;
  proxy.setSourceModel(&model);
  model.setSnapshot(snapshot);
  // What a view does on open: the top rows and their first children.
  const QModelIndex layers = proxy.index(0, 0, proxy.index(0, 0));
  QCOMPARE(proxy.rowCount(layers), 10000);
  for (int r = 0; r < 50; ++r)
    for (int c = 0; c < ParamTreeModel::ColumnCount; ++c) proxy.index(r, c, layers).data();
  QCOMPARE(proxy.index(9999, 0, layers).data().toString(), QStringLiteral("9999"));
  const qint64 openMs = timer.elapsed();

  timer.restart();
  proxy.setFilterText(QStringLiteral("layers.1234.mlp"));
  QCOMPARE(proxy.rowCount(proxy.index(0, 0, proxy.index(0, 0))), 1);
  const qint64 filterMs = timer.elapsed();
  qInfo("100k tensors: build %lld ms, open %lld ms, filter %lld ms", buildMs, openMs, filterMs);
  // Generous bounds: this checks complexity, not the machine.
  QVERIFY2(buildMs < 2000, qPrintable(QString::number(buildMs)));
  QVERIFY2(openMs < 1000, qPrintable(QString::number(openMs)));
  QVERIFY2(filterMs < 5000, qPrintable(QString::number(filterMs)));
}

QTEST_GUILESS_MAIN(TestModels)
#include "tst_models.moc"
