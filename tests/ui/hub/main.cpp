// test_ui_hub: the hub browser, memory view and push dialog against our own
// hub server on 127.0.0.1 (offscreen).
#include <QApplication>

int runHubBrowserTests(int argc, char** argv);
int runMemoryViewTests(int argc, char** argv);
int runPushDialogTests(int argc, char** argv);
int runWorkbenchTests(int argc, char** argv);

int main(int argc, char** argv) {
  QApplication app(argc, argv);
  int failed = 0;
  failed += runHubBrowserTests(argc, argv);
  failed += runMemoryViewTests(argc, argv);
  failed += runPushDialogTests(argc, argv);
  failed += runWorkbenchTests(argc, argv);
  return failed;
}
