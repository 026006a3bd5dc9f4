// More accelerate 1.2.1 behaviours (docs/device-maps.md §3.4-3.6) and the from_pretrained sizing
// fields of a tree (late ties, special dtypes, the quantizer's budget factor). Expected maps are
// derived by hand in the comments.
#include "planning/device_map.h"
#include "planning/module_tree.h"

#include <gtest/gtest.h>

#include <map>

using namespace lathe::planning;
using nlohmann::json;

namespace {

using M = std::map<std::string, std::string>;
M as_map(const PlanResult& r) { return {r.device_map.begin(), r.device_map.end()}; }
json f32(int n) { return {{"shape", {n}}, {"dtype", "float32"}}; }
json leaf(const std::string& name, int n) { return {{"name", name}, {"class", "Linear"}, {"params", {{"w", f32(n)}}}}; }

PlanResult plan(const json& tree, PlanMode mode, const std::string& mm) {
  PlanOptions o;
  o.mode = mode;
  o.max_memory = parse_max_memory(mm);
  return plan_device_map(parse_module_tree(tree), o);
}
double used_on(const PlanResult& r, const std::string& d) {
  for (const auto& [k, v] : r.used)
    if (k == d) return v;
  return 0;
}

// accelerate's ModelForTest: linear1 64 B, batchnorm 72 B (with 40 B of buffers), linear2 100 B.
json model_for_test() {
  json lin1 = {{"name", "linear1"}, {"class", "Linear"}, {"params", {{"weight", {{"shape", {4, 3}}}}, {"bias", {{"shape", {4}}}}}}};
  json bn = {{"name", "batchnorm"}, {"class", "BatchNorm1d"},
             {"params", {{"weight", {{"shape", {4}}}}, {"bias", {{"shape", {4}}}}}},
             {"buffers", {{"running_mean", {{"shape", {4}}}}, {"running_var", {{"shape", {4}}}},
                          {"num_batches_tracked", {{"shape", json::array()}, {"dtype", "int64"}}}}}};
  json lin2 = {{"name", "linear2"}, {"class", "Linear"}, {"params", {{"weight", {{"shape", {5, 4}}}}, {"bias", {{"shape", {5}}}}}}};
  return {{"name", ""}, {"class", "ModelForTest"}, {"children", {lin1, bn, lin2}}};
}

}  // namespace

TEST(PlanningBehaviours, SplitModuleBuffersDroppedAndSingleEntriesNotMerged) {
  // a = x (10 floats, 40 B) + its own buffer buf (5 floats, 20 B) = 60; b = 80; c = 80. Total 220.
  json t = {{"name", ""}, {"class", "M"},
            {"children", {{{"name", "a"}, {"class", "Block"}, {"buffers", {{"buf", f32(5)}}}, {"children", {leaf("x", 10)}}},
                          leaf("b", 20), leaf("c", 20)}}};
  // {0: 120}: reserve 80 (b, c). a: 60 > 120-80 = 40 -> split into [a.x] (a.buf is dropped);
  // a.x: 40 <= 40 (exact fill) -> 0; b: 40+80 > 40, a leaf -> used[0] = 40 + 80 (reserve), next: cpu
  // (main, cap 1000-80): b; c (reserve now 0): cpu. clean: "a" has one entry (a.x) -> not merged.
  auto r = plan(t, PlanMode::Sequential, "0=120,cpu=1000");
  EXPECT_EQ(as_map(r), (M{{"a.x", "0"}, {"b", "cpu"}, {"c", "cpu"}}));
  EXPECT_EQ(used_on(r, "0"), 120);
  EXPECT_EQ(used_on(r, "cpu"), 160);  // a.buf's 20 B are counted nowhere: 40 + 160 = 220 - 20
}

TEST(PlanningBehaviours, RootParamsAndBuffersAreMapEntries) {
  // Queue = root params (p, 20 B), children (m, 40 B), root buffers (rb, 20 B); the first reserve
  // counts tensors too: 40 (m). {0: 70}: p 20 <= 30; m: reserve recomputed over Modules only -> 0:
  // 60 <= 70; rb: 80 > 70, a tensor cannot be split -> cpu. Keys are a parameter and a buffer name.
  json t = {{"name", ""}, {"class", "M"}, {"params", {{"p", f32(5)}}}, {"buffers", {{"rb", f32(5)}}},
            {"children", {leaf("m", 10)}}};
  auto r = plan(t, PlanMode::Sequential, "0=70,cpu=1000");
  EXPECT_EQ(as_map(r), (M{{"p", "0"}, {"m", "0"}, {"rb", "cpu"}}));
  EXPECT_EQ(r.reserve, 40);
}

TEST(PlanningBehaviours, MpsIsTheOnlyMainDevice) {
  // With "mps" present, main_devices = ["mps"]: cpu gets no reserve. {mps: 10, cpu: 235}: nothing fits
  // mps (cap 10-100); cpu (cap 235): linear1 64, batchnorm 136, linear2 236 > 235 -> disk.
  EXPECT_EQ(as_map(plan(model_for_test(), PlanMode::Sequential, "mps=10,cpu=235")),
            (M{{"linear1", "cpu"}, {"batchnorm", "cpu"}, {"linear2", "disk"}}));
  // A GPU instead: cpu is a main device (cap 235-100 = 135): batchnorm 136 > 135 -> disk.
  EXPECT_EQ(as_map(plan(model_for_test(), PlanMode::Sequential, "0=10,cpu=235")),
            (M{{"linear1", "cpu"}, {"batchnorm", "disk"}, {"linear2", "disk"}}));
}

TEST(PlanningBehaviours, LateTiesCountTwiceWhenBalancing) {
  // embed 160 B, body 256, head (tied to embed), tail 256. Tied: 672; leaves embed, body, tail ->
  // mean 224 -> per_gpu = 672 // 2 + int(1.25 * 224) = 336 + 280 = 616.
  json t = {{"name", ""}, {"class", "Tied"},
            {"children", {leaf("embed", 40), leaf("body", 64), leaf("head", 40), leaf("tail", 64)}},
            {"tied", json::array({json::array({"head.w", "embed.w"})})}};
  EXPECT_EQ(plan(t, PlanMode::Balanced, "0=1000,1=1000").budgets[0].bytes, 616);
  // from_pretrained ties head.w only after balancing: 832 over leaves embed, body, head, tail ->
  // mean 208 -> 416 + 260 = 676. The planning itself still sees the tie (total 672).
  t["sizing"] = {{"untied_when_balancing", {"head.w"}}};
  auto r = plan(t, PlanMode::Balanced, "0=1000,1=1000");
  EXPECT_EQ(r.budgets[0].bytes, 676);
  EXPECT_EQ(r.total, 672);
}

TEST(PlanningBehaviours, SpecialDtypesAndQuantizerBudgetFactor) {
  // int8 target, linear2.weight kept at float16: linear1 16 elements -> 16 B; batchnorm 8 params +
  // 8 running stats at 1 B + int64 counter 8 B = 24; linear2 weight 20 x 2 B + bias 5 x 1 B = 45. Total 85.
  json t = model_for_test();
  t["sizing"] = {{"dtype", "int8"}, {"special_dtypes", {{"linear2.weight", "float16"}}}, {"max_memory_factor", 0.9}};
  auto s = compute_module_sizes(parse_module_tree(t), "int8");
  EXPECT_EQ(s.get(""), 85);
  EXPECT_EQ(s.get("linear2"), 45);
  // {0: 94} x 0.90 = 84.6: reserve 45 (linear2); linear1 16 <= 39.6; batchnorm 40 > 39.6 -> disk, then
  // linear2. Without the factor (cap 49) batchnorm would fit.
  auto r = plan(t, PlanMode::Sequential, "0=94");
  EXPECT_DOUBLE_EQ(r.budgets[0].bytes, 94 * 0.90);
  EXPECT_EQ(as_map(r), (M{{"linear1", "0"}, {"batchnorm", "disk"}, {"linear2", "disk"}}));
  t.erase("sizing");
  PlanOptions o;
  o.mode = PlanMode::Sequential;
  o.max_memory = parse_max_memory("0=94");
  o.dtype = "int8";  // same target, no special dtype, no factor: linear2 = 25 B, everything fits (65 <= 94)
  EXPECT_EQ(as_map(plan_device_map(parse_module_tree(t), o)), (M{{"", "0"}}));
}
