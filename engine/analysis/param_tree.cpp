#include "analysis/param_tree.h"

#include "io/checkpoint.h"

#include <algorithm>
#include <string_view>
#include <unordered_map>

namespace lathe {
namespace {

int merge_kind(int a, int b) {
  if (a == ParamTreeNode::kNone) return b;
  if (b == ParamTreeNode::kNone || a == b) return a;
  return ParamTreeNode::kMixed;
}

bool parse_index(const std::string& s, std::uint64_t& value) {
  if (s.empty() || s.size() > 18) return false;
  value = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return true;
}

// Layer lists ("h.0" ... "h.11") are written by safetensors in lexicographic
// order (h.0, h.1, h.10, h.11, h.2, ...). Sort the numeric children by value
// in the slots they occupy; every other child keeps its first-seen position.
void sort_numeric_children(std::vector<ParamTreeNode>& nodes, ParamTreeNode& parent) {
  if (parent.children.size() < 2) return;
  std::vector<std::size_t> slots;
  std::vector<std::pair<std::uint64_t, int>> numbered;
  for (std::size_t i = 0; i < parent.children.size(); ++i) {
    std::uint64_t v = 0;
    if (parse_index(nodes[static_cast<std::size_t>(parent.children[i])].name, v)) {
      slots.push_back(i);
      numbered.emplace_back(v, parent.children[i]);
    }
  }
  if (numbered.size() < 2) return;
  std::stable_sort(numbered.begin(), numbered.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  for (std::size_t k = 0; k < slots.size(); ++k) parent.children[slots[k]] = numbered[k].second;
}

// Finds a node's child by name: a short scan for narrow nodes, a hash map for
// wide ones (layer lists with thousands of entries). No lookup is quadratic.
class ChildIndex {
 public:
  static constexpr std::size_t kScanLimit = 16;

  ChildIndex() { stable_path_.emplace_back(); }  // the root

  /// `path` must stay valid while the index lives (a prefix of a tensor name);
  /// the child's own name starts at `name_begin`.
  int find_or_add(std::vector<ParamTreeNode>& nodes, int parent, std::string_view path,
                  std::size_t name_begin) {
    const std::string_view part = path.substr(name_begin);
    const auto& kids = nodes[static_cast<std::size_t>(parent)].children;
    if (kids.size() <= kScanLimit) {
      for (auto it = kids.rbegin(); it != kids.rend(); ++it)
        if (nodes[static_cast<std::size_t>(*it)].name == part) return *it;
    } else if (auto it = wide_.find(path); it != wide_.end()) {
      return it->second;
    }
    const int index = static_cast<int>(nodes.size());
    ParamTreeNode node;
    node.name = std::string(part);
    node.path = std::string(path);
    node.parent = parent;
    nodes.push_back(std::move(node));  // may reallocate: re-fetch the parent below
    stable_path_.push_back(path);
    auto& siblings = nodes[static_cast<std::size_t>(parent)].children;
    siblings.push_back(index);
    if (siblings.size() == kScanLimit + 1) {
      for (int c : siblings) wide_.emplace(stable_path_[static_cast<std::size_t>(c)], c);
    } else if (siblings.size() > kScanLimit + 1) {
      wide_.emplace(path, index);
    }
    return index;
  }

 private:
  std::unordered_map<std::string_view, int> wide_;
  std::vector<std::string_view> stable_path_;  // per node
};

}  // namespace

ParamTreeSnapshot ParamTreeSnapshot::build(const CheckpointInfo& info) {
  ParamTreeSnapshot s;
  s.model_type = info.model_type;
  s.architectures = info.architectures;
  s.source_dir = info.files.dir;
  s.total_bytes = info.total_bytes;
  s.total_elements = info.total_elements;

  const std::size_t n = info.tensors.size();
  s.tensors.reserve(n);
  s.nodes.reserve(n * 5 / 2 + 16);  // typical: ~2.3 nodes per tensor
  s.nodes.emplace_back();  // root

  ChildIndex children;
  std::unordered_map<std::string_view, int> file_index;
  std::string_view previous;                       // the previous tensor name
  std::vector<std::pair<std::size_t, int>> chain;  // its components: (end, node)

  for (std::size_t t = 0; t < n; ++t) {
    const TensorInfo& ti = info.tensors[t];
    const std::string_view name(ti.name);

    ParamTreeTensor pt;
    pt.name = ti.name;
    pt.dtype = ti.dtype;
    pt.shape = ti.shape;
    pt.nbytes = ti.nbytes;
    pt.numel = static_cast<std::uint64_t>(std::max<std::int64_t>(ti.numel(), 0));
    auto [fit, fnew] = file_index.emplace(std::string_view(ti.file), static_cast<int>(s.files.size()));
    if (fnew) s.files.push_back(ti.file);
    pt.file = fit->second;

    // Neighbouring names share most of their path ("model.layers.7.mlp.up_proj.weight"
    // after "model.layers.7.mlp.gate_proj.weight"): components inside the common
    // prefix with the previous name reuse its nodes without any lookup.
    std::size_t common = 0;
    while (common < name.size() && common < previous.size() && name[common] == previous[common])
      ++common;
    int parent = 0;
    std::size_t begin = 0;
    std::size_t depth = 0;
    while (true) {
      const std::size_t dot = name.find('.', begin);
      const std::size_t end = dot == std::string_view::npos ? name.size() : dot;
      if (depth < chain.size() && chain[depth].first == end && end <= common) {
        parent = chain[depth].second;
      } else {
        chain.resize(depth);
        parent = children.find_or_add(s.nodes, parent, name.substr(0, end), begin);
        chain.emplace_back(end, parent);
      }
      ++depth;
      if (dot == std::string_view::npos) break;
      begin = dot + 1;
    }
    chain.resize(depth);
    previous = name;
    ParamTreeNode& leaf = s.nodes[static_cast<std::size_t>(parent)];
    if (leaf.tensor == ParamTreeNode::kNone) leaf.tensor = static_cast<int>(t);
    pt.node = parent;
    s.tensors.push_back(std::move(pt));
  }

  // Shared storages: the earliest tensor (file order) carries the bytes.
  for (const auto& group : info.shared_storage) {
    std::vector<int> members;
    for (const auto& name : group) {
      const int node = s.find(name);  // groups are few: a tree walk is fine
      if (node <= 0) continue;
      const int t = s.nodes[static_cast<std::size_t>(node)].tensor;
      if (t != ParamTreeNode::kNone) members.push_back(t);
    }
    std::sort(members.begin(), members.end());
    members.erase(std::unique(members.begin(), members.end()), members.end());
    if (members.size() < 2) continue;
    const int group_index = static_cast<int>(s.shared_groups.size());
    for (int t : members) {
      auto& pt = s.tensors[static_cast<std::size_t>(t)];
      pt.shared_group = group_index;
      if (t != members.front()) pt.tied_to = members.front();
    }
    s.shared_groups.push_back(std::move(members));
  }

  for (auto& node : s.nodes) {
    sort_numeric_children(s.nodes, node);
    for (std::size_t r = 0; r < node.children.size(); ++r)
      s.nodes[static_cast<std::size_t>(node.children[r])].row = static_cast<int>(r);
  }

  // Children always have larger indices than their parent: one reverse pass
  // accumulates every subtree.
  for (std::size_t i = s.nodes.size(); i-- > 0;) {
    ParamTreeNode& node = s.nodes[i];
    if (node.tensor != ParamTreeNode::kNone) {
      const auto& pt = s.tensors[static_cast<std::size_t>(node.tensor)];
      if (pt.tied_to < 0) {
        node.bytes += pt.nbytes;
        node.elements += pt.numel;
      }
      node.tensor_count += 1;
      node.dtype = merge_kind(node.dtype, static_cast<int>(pt.dtype));
      node.file = merge_kind(node.file, pt.file);
    }
    if (node.parent != ParamTreeNode::kNone) {
      ParamTreeNode& parent = s.nodes[static_cast<std::size_t>(node.parent)];
      parent.bytes += node.bytes;
      parent.elements += node.elements;
      parent.tensor_count += node.tensor_count;
      parent.dtype = merge_kind(parent.dtype, node.dtype);
      parent.file = merge_kind(parent.file, node.file);
    }
  }
  return s;
}

int ParamTreeSnapshot::find(const std::string& path) const {
  if (nodes.empty()) return -1;
  int current = 0;
  if (path.empty()) return current;
  std::size_t begin = 0;
  while (true) {
    std::size_t dot = path.find('.', begin);
    std::size_t end = dot == std::string::npos ? path.size() : dot;
    const std::string_view part(path.data() + begin, end - begin);
    int next = -1;
    for (int c : node(current).children) {
      if (node(c).name == part) {
        next = c;
        break;
      }
    }
    if (next < 0) return -1;
    current = next;
    if (dot == std::string::npos) return current;
    begin = dot + 1;
  }
}

double ParamTreeSnapshot::share(int index) const {
  if (nodes.empty() || nodes[0].bytes == 0) return 0.0;
  return static_cast<double>(node(index).bytes) / static_cast<double>(nodes[0].bytes);
}

}  // namespace lathe
