// One binary for all widget tests (each binary linked to LibTorch costs
// ~0.3 s of start-up): runs every test class in turn.
#include <QApplication>

int runMainWindowTests(int argc, char** argv);
int runJobTests(int argc, char** argv);
int runEditingTests(int argc, char** argv);
int runTokenTests(int argc, char** argv);

int main(int argc, char** argv) {
  QApplication app(argc, argv);
  int failed = 0;
  failed += runMainWindowTests(argc, argv);
  failed += runJobTests(argc, argv);
  failed += runEditingTests(argc, argv);
  failed += runTokenTests(argc, argv);
  return failed;
}
