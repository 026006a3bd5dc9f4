# Included from ui/CMakeLists.txt once lathe_ui exists.
#
#   lathe.ts      template for new languages (no translations, no language)
#   lathe_<ll>.ts one per language; compiled by lrelease and embedded into
#                 lathe_ui as :/i18n/lathe_<ll>.qm
#
# `cmake --build build --target update_translations` runs lupdate over the
# GUI sources and rewrites the .ts files here (lupdate never runs during a
# normal build). Then translate with Qt Linguist and commit the .ts files.
set(LATHE_TRANSLATIONS_DIR ${PROJECT_SOURCE_DIR}/translations)
set(LATHE_TS_LANGUAGES ${LATHE_TRANSLATIONS_DIR}/lathe_de.ts)

# lupdate reads what the user can see: ui/ and the workbench executable.
file(GLOB_RECURSE LATHE_TR_SOURCES CONFIGURE_DEPENDS
     ${PROJECT_SOURCE_DIR}/ui/*.cpp ${PROJECT_SOURCE_DIR}/ui/*.h
     ${PROJECT_SOURCE_DIR}/app/workbench/*.cpp ${PROJECT_SOURCE_DIR}/app/workbench/*.h)

qt_add_lupdate(lathe_ui
  TS_FILES ${LATHE_TRANSLATIONS_DIR}/lathe.ts ${LATHE_TS_LANGUAGES}
  SOURCES ${LATHE_TR_SOURCES}
  INCLUDE_DIRECTORIES ${PROJECT_SOURCE_DIR}/ui ${PROJECT_SOURCE_DIR}/engine
  OPTIONS -no-obsolete -locations none)
qt_add_lrelease(lathe_ui
  TS_FILES ${LATHE_TS_LANGUAGES}
  QM_FILES_OUTPUT_VARIABLE LATHE_QM_FILES)
qt_add_resources(lathe_ui lathe_translations
  PREFIX /i18n
  BASE ${CMAKE_CURRENT_BINARY_DIR}
  FILES ${LATHE_QM_FILES})
