// The device-map designer's tests: the design model (tst_design.cpp) and the
// widgets on a Llama-70B-shaped tree (tst_designer_view.cpp).
#pragma once

#include "planning/module_tree.h"

#include <QObject>

#include <memory>
#include <string>

namespace designer_test {

using nlohmann::json;

// A small tree whose sizes are easy by hand (float32, 4 bytes an element):
//   embed.weight [20,4] = 80 × 4 = 320 B
//   layers.i.fc  weight [4,4] + bias [4] = 20 × 4 = 80 B, four Blocks (no_split)
//   head.weight  [20,4] tied to embed.weight: counted once, under embed (first in pre-order) → head 0 B
//   total = 320 + 4 × 80 = 640 B
inline json smallTree() {
  json layers = json::array();
  for (int i = 0; i < 4; ++i)
    layers.push_back({{"name", std::to_string(i)}, {"class", "Block"},
                      {"children", {{{"name", "fc"}, {"class", "Linear"},
                                     {"params", {{"weight", {{"shape", {4, 4}}}}, {"bias", {{"shape", {4}}}}}}}}}});
  return {{"name", ""}, {"class", "Net"}, {"no_split", {"Block"}}, {"tied", json::array({json::array({"embed.weight", "head.weight"})})},
          {"children", {{{"name", "embed"}, {"class", "Embedding"}, {"params", {{"weight", {{"shape", {20, 4}}}}}}},
                        {{"name", "layers"}, {"class", "ModuleList"}, {"children", layers}},
                        {{"name", "head"}, {"class", "Linear"}, {"params", {{"weight", {{"shape", {20, 4}}}}}}}}}};
}

inline std::shared_ptr<const lathe::planning::ModuleTree> treeOf(const json& j) {
  return std::make_shared<const lathe::planning::ModuleTree>(lathe::planning::parse_module_tree(j));
}

}  // namespace designer_test

class TestDesign : public QObject {
  Q_OBJECT

 private slots:
  void autoPlanEqualsPlanner();
  void moveUpdatesTotalsAndOverflow();
  void laneModelDragAndDrop();
  void tieGroupMovesTogether();
  void diffListsExactlyMovedModules();
  void exportImportRoundTrip();
  void budgetsParseLikeAccelerate();
};

class TestDesignerView : public QObject {
  Q_OBJECT

 private slots:
  void seventyBOpensAndPlansWithoutBlocking();
  void lanesFollowTheDesign();
  void exportImportJobsRoundTrip();
  void modelFolderPlansAndLoadsWithMap();
  void hubRepoPlansFromConfigOnly();
};
