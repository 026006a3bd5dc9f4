// Our real hub server (engine/hub/server.h) on 127.0.0.1 for GUI tests,
// plus a fixture repo pushed through our real client. The environment
// (HF_ENDPOINT, HF_HOME, HF_TOKEN) is pointed at it, as a user would.
#pragma once

#include "hub/hub_client.h"
#include "hub/server.h"

#include <QByteArray>
#include <QDir>
#include <QFile>
#include <QTemporaryDir>

#include <filesystem>
#include <memory>
#include <string>
#include <thread>

namespace lathe::test {

inline const char* kFixtureCard =
    "---\nlicense: mit\nlibrary_name: transformers\npipeline_tag: text-generation\ntags:\n- lathe-test\n---\n"
    "# Tiny GPT-2\n\nA **two-layer** GPT-2 for tests.\n\n- hidden size 32\n";

class LiveHub {
 public:
  LiveHub() {
    hub::ServerOptions o;
    o.dir = (m_tmp.path() + QStringLiteral("/server")).toStdString();
    o.tokens = {{"hf_alice", "alice"}};
    m_server = std::make_unique<hub::HubServer>(o);
    m_port = m_server->bind();
    m_thread = std::thread([this] { m_server->listen(); });
    qputenv("HF_ENDPOINT", url().toUtf8());
    qputenv("HF_HOME", (m_tmp.path() + QStringLiteral("/home")).toUtf8());
    qputenv("HF_TOKEN", "hf_alice");
    qunsetenv("HF_HUB_CACHE");
    qunsetenv("HF_HUB_OFFLINE");
  }
  ~LiveHub() {
    m_server->stop();
    m_thread.join();
  }
  QString url() const { return QStringLiteral("http://127.0.0.1:%1").arg(m_port); }
  QString tmp() const { return m_tmp.path(); }
  QString cacheDir() const { return m_tmp.path() + QStringLiteral("/home/hub"); }

  /// Pushes `modelDir` (+ a README with front matter) as `repo`.
  hub::PushResult pushFixture(const QString& modelDir, const std::string& repo) {
    const QString staging = m_tmp.path() + QStringLiteral("/staging-") + QString::fromStdString(repo).replace('/', '_');
    std::filesystem::create_directories(staging.toStdString());
    for (const auto& e : std::filesystem::directory_iterator(modelDir.toStdString()))
      std::filesystem::copy(e.path(), staging.toStdString() + "/" + e.path().filename().string());
    QFile card(staging + QStringLiteral("/README.md"));
    card.open(QIODevice::WriteOnly);
    card.write(kFixtureCard);
    card.close();
    hub::HubClient client(hub::HubConfig::from_environment());
    return client.push(staging.toStdString(), repo, hub::PushOptions{});
  }

 private:
  QTemporaryDir m_tmp;
  std::unique_ptr<hub::HubServer> m_server;
  std::thread m_thread;
  int m_port = 0;
};

}  // namespace lathe::test
