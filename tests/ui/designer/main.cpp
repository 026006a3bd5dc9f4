// One binary for the designer's tests (offscreen): the model, then the widgets.
#include "tst_designer.h"

#include <QApplication>
#include <QtTest>

int main(int argc, char** argv) {
  QApplication app(argc, argv);
  int failed = 0;
  TestDesign design;
  failed += QTest::qExec(&design, argc, argv);
  TestDesignerView view;
  failed += QTest::qExec(&view, argc, argv);
  return failed;
}
