#include "hub/pipelined_hash.h"

#include "hub/hub_util.h"

#include <cstring>

namespace lathe::hub {

PipelinedSha256::PipelinedSha256(std::size_t chunk_bytes, std::size_t max_chunks)
    : chunk_bytes_(chunk_bytes), max_chunks_(max_chunks), hash_(std::make_unique<FastSha256>()) {
  current_.reserve(chunk_bytes_);
  worker_ = std::thread([this] { work(); });
}

PipelinedSha256::~PipelinedSha256() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  worker_.join();
}

void PipelinedSha256::work() {
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    cv_.wait(lock, [&] { return stop_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stop_ and nothing left
    std::vector<char> chunk = std::move(queue_.front());
    queue_.pop_front();
    busy_ = true;
    FastSha256* h = hash_.get();
    lock.unlock();
    h->update(chunk.data(), chunk.size());
    lock.lock();
    busy_ = false;
    chunk.clear();
    free_.push_back(std::move(chunk));
    cv_.notify_all();
  }
}

void PipelinedSha256::hand_off() {
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait(lock, [&] { return queue_.size() < max_chunks_; });
  queue_.push_back(std::move(current_));
  if (!free_.empty()) {
    current_ = std::move(free_.front());
    free_.pop_front();
  } else {
    current_ = std::vector<char>();
    current_.reserve(chunk_bytes_);
  }
  lock.unlock();
  cv_.notify_all();
}

void PipelinedSha256::update(const void* data, std::size_t n) {
  const char* p = static_cast<const char*>(data);
  while (n > 0) {
    std::size_t take = std::min(n, chunk_bytes_ - current_.size());
    current_.insert(current_.end(), p, p + take);
    p += take;
    n -= take;
    if (current_.size() == chunk_bytes_) hand_off();
  }
}

void PipelinedSha256::drain() {
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait(lock, [&] { return queue_.empty() && !busy_; });
}

std::string PipelinedSha256::hex_digest() {
  if (!current_.empty()) hand_off();
  drain();
  return hash_->hex_digest();
}

void PipelinedSha256::reset() {
  current_.clear();
  drain();
  std::lock_guard<std::mutex> lock(mu_);
  hash_ = std::make_unique<FastSha256>();
}

}  // namespace lathe::hub
