<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>CommandLine</name>
    <message>
        <source>Workbench for Hugging Face transformer checkpoints.</source>
        <translation>Werkbank für Hugging-Face-Transformer-Checkpoints.</translation>
    </message>
    <message>
        <source>Render every main view to &lt;dir&gt;/&lt;view&gt;.png off screen, then exit.</source>
        <translation>Jede Hauptansicht ohne Bildschirm nach &lt;verzeichnis&gt;/&lt;ansicht&gt;.png rendern, dann beenden.</translation>
    </message>
    <message>
        <source>dir</source>
        <translation>verzeichnis</translation>
    </message>
    <message>
        <source>Checkpoint folder or weight file to open.</source>
        <translation>Zu öffnender Checkpoint-Ordner oder Gewichtsdatei.</translation>
    </message>
    <message>
        <source>Expected at most one model, got %1.</source>
        <translation>Höchstens ein Modell erwartet, %1 angegeben.</translation>
    </message>
    <message>
        <source>--screenshot needs a directory.</source>
        <translation>--screenshot benötigt ein Verzeichnis.</translation>
    </message>
</context>
<context>
    <name>DisplayFormat</name>
    <message>
        <source>%1 B</source>
        <translation>%1 B</translation>
    </message>
    <message>
        <source>&lt;%1 %</source>
        <translation>&lt;%1 %</translation>
    </message>
    <message>
        <source>%1 %</source>
        <translation>%1 %</translation>
    </message>
    <message>
        <source>scalar</source>
        <translation>Skalar</translation>
    </message>
</context>
<context>
    <name>ErrorText</name>
    <message>
        <source>A value given to Lathe is not valid.</source>
        <translation>Ein an Lathe übergebener Wert ist ungültig.</translation>
    </message>
    <message>
        <source>The file could not be read or written.</source>
        <translation>Die Datei konnte nicht gelesen oder geschrieben werden.</translation>
    </message>
    <message>
        <source>No model weights were found at this location.</source>
        <translation>An diesem Ort wurden keine Modellgewichte gefunden.</translation>
    </message>
    <message>
        <source>The checkpoint file is damaged or incomplete.</source>
        <translation>Die Checkpoint-Datei ist beschädigt oder unvollständig.</translation>
    </message>
    <message>
        <source>The PyTorch file contains code Lathe does not run for safety reasons.</source>
        <translation>Die PyTorch-Datei enthält Code, den Lathe aus Sicherheitsgründen nicht ausführt.</translation>
    </message>
    <message>
        <source>The model configuration (config.json) is invalid.</source>
        <translation>Die Modellkonfiguration (config.json) ist ungültig.</translation>
    </message>
    <message>
        <source>This model architecture is not supported yet.</source>
        <translation>Diese Modellarchitektur wird noch nicht unterstützt.</translation>
    </message>
    <message>
        <source>A tensor the model needs is missing from the checkpoint.</source>
        <translation>Im Checkpoint fehlt ein Tensor, den das Modell benötigt.</translation>
    </message>
    <message>
        <source>A tensor in the checkpoint does not have the shape the model expects.</source>
        <translation>Ein Tensor im Checkpoint hat nicht die Form, die das Modell erwartet.</translation>
    </message>
    <message>
        <source>There is not enough memory.</source>
        <translation>Es ist nicht genügend Speicher vorhanden.</translation>
    </message>
    <message>
        <source>A network request failed.</source>
        <translation>Eine Netzwerkanfrage ist fehlgeschlagen.</translation>
    </message>
    <message>
        <source>Access was denied. Check your Hugging Face token.</source>
        <translation>Der Zugriff wurde verweigert. Prüfen Sie Ihr Hugging-Face-Token.</translation>
    </message>
    <message>
        <source>Lathe does not support this operation yet.</source>
        <translation>Lathe unterstützt diesen Vorgang noch nicht.</translation>
    </message>
    <message>
        <source>An internal error occurred in Lathe.</source>
        <translation>In Lathe ist ein interner Fehler aufgetreten.</translation>
    </message>
    <message>
        <source>Error code: %1</source>
        <translation>Fehlercode: %1</translation>
    </message>
</context>
<context>
    <name>FileDialog</name>
    <message>
        <source>Open Model</source>
        <translation>Modell öffnen</translation>
    </message>
    <message>
        <source>Checkpoints (*.safetensors *.bin *.index.json)</source>
        <translation>Checkpoints (*.safetensors *.bin *.index.json)</translation>
    </message>
    <message>
        <source>All files (*)</source>
        <translation>Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Save Model Into Folder</source>
        <translation>Modell in Ordner speichern</translation>
    </message>
</context>
<context>
    <name>lathe::ui::EngineDocument</name>
    <message>
        <source>Opening %1</source>
        <translation>%1 wird geöffnet</translation>
    </message>
    <message>
        <source>Loading %1</source>
        <translation>%1 wird geladen</translation>
    </message>
    <message>
        <source>Estimating memory</source>
        <translation>Speicherbedarf wird geschätzt</translation>
    </message>
    <message>
        <source>Planning save</source>
        <translation>Speichern wird geplant</translation>
    </message>
    <message>
        <source>Generating</source>
        <translation>Generieren</translation>
    </message>
    <message>
        <source>Pruning heads</source>
        <translation>Köpfe werden entfernt</translation>
    </message>
    <message>
        <source>Resizing vocabulary</source>
        <translation>Vokabular wird angepasst</translation>
    </message>
    <message>
        <source>Saving to %1</source>
        <translation>Speichern nach %1</translation>
    </message>
</context>
<context>
    <name>lathe::ui::LoadModelDialog</name>
    <message>
        <source>Browse…</source>
        <translation>Durchsuchen…</translation>
    </message>
    <message>
        <source>&amp;Load</source>
        <translation>&amp;Laden</translation>
    </message>
    <message>
        <source>Cancel Loading</source>
        <translation>Laden abbrechen</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <source>Load Model</source>
        <translation>Modell laden</translation>
    </message>
    <message>
        <source>A checkpoint folder or weight file</source>
        <translation>Ein Checkpoint-Ordner oder eine Gewichtsdatei</translation>
    </message>
    <message>
        <source>Automatic (from config.json)</source>
        <translation>Automatisch (aus config.json)</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Art</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>Schlüssel</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>Details</translation>
    </message>
    <message>
        <source>&amp;Source:</source>
        <translation>&amp;Quelle:</translation>
    </message>
    <message>
        <source>&amp;Data type:</source>
        <translation>&amp;Datentyp:</translation>
    </message>
    <message>
        <source>Memory Estimate</source>
        <translation>Speicherbedarf</translation>
    </message>
    <message>
        <source>Class:</source>
        <translation>Klasse:</translation>
    </message>
    <message>
        <source>Parameters:</source>
        <translation>Parameter:</translation>
    </message>
    <message>
        <source>Memory:</source>
        <translation>Speicher:</translation>
    </message>
    <message>
        <source>Loading Report</source>
        <translation>Ladebericht</translation>
    </message>
    <message>
        <source>Loading: %1</source>
        <translation>Laden: %1</translation>
    </message>
    <message>
        <source>Loading cancelled.</source>
        <translation>Laden abgebrochen.</translation>
    </message>
    <message>
        <source>Reading headers…</source>
        <translation>Header werden gelesen…</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>%1 (%2 bytes, buffers included)</source>
        <translation>%1 (%2 Bytes, Puffer eingeschlossen)</translation>
    </message>
    <message>
        <source>Ready to load.</source>
        <translation>Bereit zum Laden.</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Wird geladen…</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt; [%2]</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; [%2]</translation>
    </message>
    <message>
        <source>missing</source>
        <translation>fehlend</translation>
    </message>
    <message>
        <source>newly initialized</source>
        <translation>neu initialisiert</translation>
    </message>
    <message>
        <source>unexpected</source>
        <translation>unerwartet</translation>
    </message>
    <message>
        <source>ignored</source>
        <translation>ignoriert</translation>
    </message>
    <message>
        <source>mismatched</source>
        <translation>abweichend</translation>
    </message>
    <message>
        <source>checkpoint %1, model %2</source>
        <translation>Checkpoint %1, Modell %2</translation>
    </message>
    <message>
        <source>complete</source>
        <translation>vollständig</translation>
    </message>
    <message>
        <source>every key matched</source>
        <translation>alle Schlüssel passen</translation>
    </message>
    <message>
        <source>no weights were newly initialized or ignored</source>
        <translation>keine Gewichte neu initialisiert oder ignoriert</translation>
    </message>
    <message>
        <source>Loaded %1 as %2: %3 missing, %4 unexpected, %5 mismatched keys.</source>
        <translation>%1 als %2 geladen: %3 fehlende, %4 unerwartete, %5 abweichende Schlüssel.</translation>
    </message>
</context>
<context>
    <name>lathe::ui::MainWindow</name>
    <message>
        <source>Opening cancelled.</source>
        <translation>Öffnen abgebrochen.</translation>
    </message>
    <message>
        <source>Could Not Open Model</source>
        <translation>Modell konnte nicht geöffnet werden</translation>
    </message>
    <message>
        <source>Could not open “%1”.</source>
        <translation>„%1“ konnte nicht geöffnet werden.</translation>
    </message>
    <message>
        <source>About Lathe</source>
        <translation>Über Lathe</translation>
    </message>
    <message>
        <source>&lt;b&gt;Lathe %1&lt;/b&gt;&lt;p&gt;A workbench for Hugging Face transformer checkpoints.&lt;/p&gt;&lt;p&gt;Built with Qt %2.&lt;/p&gt;</source>
        <translation>&lt;b&gt;Lathe %1&lt;/b&gt;&lt;p&gt;Eine Werkbank für Hugging-Face-Transformer-Checkpoints.&lt;/p&gt;&lt;p&gt;Erstellt mit Qt %2.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <source>Open &amp;Recent</source>
        <translation>&amp;Zuletzt geöffnet</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <source>Main Toolbar</source>
        <translation>Hauptwerkzeugleiste</translation>
    </message>
    <message>
        <source>&amp;Open Model…</source>
        <translation>Modell ö&amp;ffnen…</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Öffnen</translation>
    </message>
    <message>
        <source>Open a checkpoint folder or weight file (%1)</source>
        <translation>Einen Checkpoint-Ordner oder eine Gewichtsdatei öffnen (%1)</translation>
    </message>
    <message>
        <source>&amp;Clear List</source>
        <translation>Liste &amp;leeren</translation>
    </message>
    <message>
        <source>&amp;Close Model</source>
        <translation>Modell &amp;schließen</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <source>&amp;Filter…</source>
        <translation>&amp;Filtern…</translation>
    </message>
    <message>
        <source>&amp;Expand All</source>
        <translation>Alle &amp;ausklappen</translation>
    </message>
    <message>
        <source>C&amp;ollapse All</source>
        <translation>Alle &amp;einklappen</translation>
    </message>
    <message>
        <source>&amp;Cancel Operation</source>
        <translation>Vorgang a&amp;bbrechen</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>&amp;About Lathe</source>
        <translation>&amp;Über Lathe</translation>
    </message>
    <message>
        <source>%1: cancelled.</source>
        <translation>%1: abgebrochen.</translation>
    </message>
    <message>
        <source>Operation Failed</source>
        <translation>Vorgang fehlgeschlagen</translation>
    </message>
    <message>
        <source>%1 failed.</source>
        <translation>%1 ist fehlgeschlagen.</translation>
    </message>
    <message>
        <source>%1: done.</source>
        <translation>%1: fertig.</translation>
    </message>
    <message>
        <source>&amp;Load Model…</source>
        <translation>Modell &amp;laden…</translation>
    </message>
    <message>
        <source>Load</source>
        <translation>Laden</translation>
    </message>
    <message>
        <source>Load a checkpoint to edit, save and try it (%1)</source>
        <translation>Einen Checkpoint laden, um ihn zu bearbeiten, zu speichern und auszuprobieren (%1)</translation>
    </message>
    <message>
        <source>&amp;Save Model…</source>
        <translation>Modell spei&amp;chern…</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Speichern</translation>
    </message>
    <message>
        <source>&amp;Resize Vocabulary…</source>
        <translation>&amp;Vokabulargröße ändern…</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>&amp;Bearbeiten</translation>
    </message>
    <message>
        <source>Edit</source>
        <translation>Bearbeiten</translation>
    </message>
    <message>
        <source>Try It</source>
        <translation>Ausprobieren</translation>
    </message>
    <message>
        <source>&amp;Prune Heads</source>
        <translation>Köpfe &amp;entfernen</translation>
    </message>
    <message>
        <source>&amp;Try It</source>
        <translation>Aus&amp;probieren</translation>
    </message>
</context>
<context>
    <name>lathe::ui::ModelStatusBar</name>
    <message>
        <source>unknown model type</source>
        <translation>unbekannter Modelltyp</translation>
    </message>
    <message>
        <source>Model type from config.json</source>
        <translation>Modelltyp laut config.json</translation>
    </message>
    <message>
        <source>Model type from config.json; architecture: %1</source>
        <translation>Modelltyp laut config.json; Architektur: %1</translation>
    </message>
    <message>
        <source>1 tensor</source>
        <translation>1 Tensor</translation>
    </message>
    <message>
        <source>%1 tensors</source>
        <translation>%1 Tensoren</translation>
    </message>
    <message>
        <source>%1 parameters</source>
        <translation>%1 Parameter</translation>
    </message>
    <message>
        <source>%1 bytes of tensor data</source>
        <translation>%1 Bytes Tensordaten</translation>
    </message>
    <message>
        <source>Cancel the running operation</source>
        <translation>Den laufenden Vorgang abbrechen</translation>
    </message>
    <message>
        <source>Loaded model class; model type %1</source>
        <translation>Geladene Modellklasse; Modelltyp %1</translation>
    </message>
    <message>
        <source>Memory footprint: %1 bytes, buffers included</source>
        <translation>Speicherbedarf: %1 Bytes, Puffer eingeschlossen</translation>
    </message>
</context>
<context>
    <name>lathe::ui::ParamTreeModel</name>
    <message>
        <source>mixed</source>
        <translation>gemischt</translation>
    </message>
    <message>
        <source>several files</source>
        <translation>mehrere Dateien</translation>
    </message>
    <message>
        <source>1 tensor</source>
        <translation>1 Tensor</translation>
    </message>
    <message>
        <source>%1 tensors</source>
        <translation>%1 Tensoren</translation>
    </message>
    <message>
        <source>Shares storage with %1; its bytes are counted there.</source>
        <translation>Teilt den Speicher mit %1; die Bytes werden dort gezählt.</translation>
    </message>
    <message>
        <source>%1 bytes</source>
        <translation>%1 Bytes</translation>
    </message>
    <message>
        <source>Number of elements (tied weights counted once)</source>
        <translation>Anzahl der Elemente (gekoppelte Gewichte einmal gezählt)</translation>
    </message>
    <message>
        <source>Size in memory (tied weights counted once)</source>
        <translation>Größe im Speicher (gekoppelte Gewichte einmal gezählt)</translation>
    </message>
    <message>
        <source>Share of the checkpoint&apos;s total size</source>
        <translation>Anteil an der Gesamtgröße des Checkpoints</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Shape</source>
        <translation>Form</translation>
    </message>
    <message>
        <source>DType</source>
        <translation>Datentyp</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>Parameter</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Größe</translation>
    </message>
    <message>
        <source>Share of total</source>
        <translation>Anteil</translation>
    </message>
    <message>
        <source>File</source>
        <translation>Datei</translation>
    </message>
</context>
<context>
    <name>lathe::ui::ParametersView</name>
    <message>
        <source>Filter by name, e.g. attn or *.bias</source>
        <translation>Nach Namen filtern, z. B. attn oder *.bias</translation>
    </message>
    <message>
        <source>Shows modules and tensors whose path contains the text; * and ? are wildcards.</source>
        <translation>Zeigt Module und Tensoren, deren Pfad den Text enthält; * und ? sind Platzhalter.</translation>
    </message>
    <message>
        <source>No matches</source>
        <translation>Keine Treffer</translation>
    </message>
    <message>
        <source>No model open.
Open a checkpoint folder or file with Ctrl+O, or drop it here.</source>
        <translation>Kein Modell geöffnet.
Öffnen Sie einen Checkpoint-Ordner oder eine Datei mit Strg+O oder ziehen Sie ihn hierher.</translation>
    </message>
</context>
<context>
    <name>lathe::ui::PruneHeadsPanel</name>
    <message>
        <source>Clear</source>
        <translation>Leeren</translation>
    </message>
    <message>
        <source>&amp;Apply Pruning</source>
        <translation>Entfernen &amp;anwenden</translation>
    </message>
    <message>
        <source>Resize &amp;Vocabulary…</source>
        <translation>&amp;Vokabulargröße ändern…</translation>
    </message>
    <message>
        <source>Attention Heads</source>
        <translation>Attention-Köpfe</translation>
    </message>
    <message>
        <source>Vocabulary</source>
        <translation>Vokabular</translation>
    </message>
    <message>
        <source>Parameters: %1 → %2 (−%3)</source>
        <translation>Parameter: %1 → %2 (−%3)</translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>Abgebrochen.</translation>
    </message>
    <message>
        <source>Failed: %1</source>
        <translation>Fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>Pruning…</source>
        <translation>Köpfe werden entfernt…</translation>
    </message>
    <message>
        <source>%1 token ids, hidden size %2</source>
        <translation>%1 Token-IDs, verborgene Größe %2</translation>
    </message>
    <message>
        <source>Load a model (File &gt; Load Model…) to prune its attention heads.</source>
        <translation>Laden Sie ein Modell (Datei &gt; Modell laden…), um seine Attention-Köpfe zu entfernen.</translation>
    </message>
    <message>
        <source>%1 does not support head pruning (BERT and GPT-2 do).</source>
        <translation>%1 unterstützt das Entfernen von Köpfen nicht (BERT und GPT-2 schon).</translation>
    </message>
    <message>
        <source>%1 layers × %2 heads, head size %3: each head holds %4 parameters. %5 heads pruned earlier are greyed out.</source>
        <translation>%1 Schichten × %2 Köpfe, Kopfgröße %3: jeder Kopf hat %4 Parameter. %5 früher entfernte Köpfe sind ausgegraut.</translation>
    </message>
    <message>
        <source>Layer %1</source>
        <translation>Schicht %1</translation>
    </message>
    <message>
        <source>Layer %1, head %2: already pruned</source>
        <translation>Schicht %1, Kopf %2: bereits entfernt</translation>
    </message>
    <message>
        <source>Layer %1, head %2</source>
        <translation>Schicht %1, Kopf %2</translation>
    </message>
    <message>
        <source>Selected heads: %1, removing %2 parameters (%3); %4 → %5 parameters.</source>
        <translation>Ausgewählte Köpfe: %1, entfernt %2 Parameter (%3); %4 → %5 Parameter.</translation>
    </message>
</context>
<context>
    <name>lathe::ui::ResizeVocabularyDialog</name>
    <message>
        <source>Initialize new rows with the mean embedding</source>
        <translation>Neue Zeilen mit dem mittleren Embedding initialisieren</translation>
    </message>
    <message>
        <source>&amp;Apply</source>
        <translation>&amp;Anwenden</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <source>Resize Vocabulary</source>
        <translation>Vokabulargröße ändern</translation>
    </message>
    <message>
        <source>no padding</source>
        <translation>kein Auffüllen</translation>
    </message>
    <message>
        <source>Quantity</source>
        <translation>Größe</translation>
    </message>
    <message>
        <source>Before</source>
        <translation>Vorher</translation>
    </message>
    <message>
        <source>After</source>
        <translation>Nachher</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>Änderung</translation>
    </message>
    <message>
        <source>&amp;New size:</source>
        <translation>&amp;Neue Größe:</translation>
    </message>
    <message>
        <source>&amp;Pad to multiple of:</source>
        <translation>&amp;Auffüllen auf Vielfaches von:</translation>
    </message>
    <message>
        <source>Resized.</source>
        <translation>Größe geändert.</translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>Abgebrochen.</translation>
    </message>
    <message>
        <source>Failed: %1</source>
        <translation>Fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>Resizing…</source>
        <translation>Größe wird geändert…</translation>
    </message>
    <message>
        <source>Load a model first (File &gt; Load Model…).</source>
        <translation>Laden Sie zuerst ein Modell (Datei &gt; Modell laden…).</translation>
    </message>
    <message>
        <source>Vocabulary</source>
        <translation>Vokabular</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>Parameter</translation>
    </message>
    <message>
        <source>Memory footprint</source>
        <translation>Speicherbedarf</translation>
    </message>
    <message>
        <source>“After” is an estimate until applied.</source>
        <translation>„Nachher“ ist bis zum Anwenden eine Schätzung.</translation>
    </message>
</context>
<context>
    <name>lathe::ui::SaveModelDialog</name>
    <message>
        <source>Browse…</source>
        <translation>Durchsuchen…</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>&amp;Speichern</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <source>Save Model</source>
        <translation>Modell speichern</translation>
    </message>
    <message>
        <source>Folder to save into (replaced as a whole)</source>
        <translation>Zielordner (wird als Ganzes ersetzt)</translation>
    </message>
    <message>
        <source>safetensors</source>
        <translation>safetensors</translation>
    </message>
    <message>
        <source>PyTorch .bin</source>
        <translation>PyTorch .bin</translation>
    </message>
    <message>
        <source>For example 5GB, 500MB or 2GiB</source>
        <translation>Zum Beispiel 5GB, 500MB oder 2GiB</translation>
    </message>
    <message>
        <source>none (e.g. fp16)</source>
        <translation>keine (z. B. fp16)</translation>
    </message>
    <message>
        <source>Keep current</source>
        <translation>Beibehalten</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Aktion</translation>
    </message>
    <message>
        <source>File</source>
        <translation>Datei</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>Details</translation>
    </message>
    <message>
        <source>&amp;Folder:</source>
        <translation>&amp;Ordner:</translation>
    </message>
    <message>
        <source>F&amp;ormat:</source>
        <translation>&amp;Format:</translation>
    </message>
    <message>
        <source>Maximum &amp;shard size:</source>
        <translation>Maximale &amp;Shard-Größe:</translation>
    </message>
    <message>
        <source>&amp;Variant:</source>
        <translation>&amp;Variante:</translation>
    </message>
    <message>
        <source>&amp;Data type:</source>
        <translation>&amp;Datentyp:</translation>
    </message>
    <message>
        <source>Dry run — what saving will do:</source>
        <translation>Probelauf – was das Speichern tun wird:</translation>
    </message>
    <message>
        <source>Saving: %1</source>
        <translation>Speichern: %1</translation>
    </message>
    <message>
        <source>Saved %1 files (%2) to %3.</source>
        <translation>%1 Dateien (%2) nach %3 gespeichert.</translation>
    </message>
    <message>
        <source>Saving cancelled; the folder is unchanged.</source>
        <translation>Speichern abgebrochen; der Ordner ist unverändert.</translation>
    </message>
    <message>
        <source>Could not save: %1 [%2]</source>
        <translation>Speichern nicht möglich: %1 [%2]</translation>
    </message>
    <message>
        <source>Load a model first (File &gt; Load Model…).</source>
        <translation>Laden Sie zuerst ein Modell (Datei &gt; Modell laden…).</translation>
    </message>
    <message>
        <source>Choose a folder.</source>
        <translation>Wählen Sie einen Ordner.</translation>
    </message>
    <message>
        <source>The shard size is not a size (e.g. 5GB).</source>
        <translation>Die Shard-Größe ist keine Größenangabe (z. B. 5GB).</translation>
    </message>
    <message>
        <source>%1 tensors</source>
        <translation>%1 Tensoren</translation>
    </message>
    <message>
        <source>write</source>
        <translation>schreiben</translation>
    </message>
    <message>
        <source>delete</source>
        <translation>löschen</translation>
    </message>
    <message>
        <source>stale shard of an earlier save</source>
        <translation>veralteter Shard eines früheren Speicherns</translation>
    </message>
    <message>
        <source>drop</source>
        <translation>auslassen</translation>
    </message>
    <message>
        <source>tied duplicate, restored on load</source>
        <translation>gebundenes Duplikat, wird beim Laden wiederhergestellt</translation>
    </message>
    <message>
        <source>%1 of weights in %2 files; %3 to delete, %4 tied duplicates dropped.</source>
        <translation>%1 Gewichte in %2 Dateien; %3 zu löschen, %4 gebundene Duplikate ausgelassen.</translation>
    </message>
    <message>
        <source>Cannot save there: %1 [%2]</source>
        <translation>Dort kann nicht gespeichert werden: %1 [%2]</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>Wird gespeichert…</translation>
    </message>
</context>
<context>
    <name>lathe::ui::TryPanel</name>
    <message>
        <source>&amp;Greedy</source>
        <translation>&amp;Greedy</translation>
    </message>
    <message>
        <source>Sa&amp;mpling</source>
        <translation>Sa&amp;mpling</translation>
    </message>
    <message>
        <source>&amp;Generate</source>
        <translation>&amp;Generieren</translation>
    </message>
    <message>
        <source>Token ids, e.g. 464 3290 286</source>
        <translation>Token-IDs, z. B. 464 3290 286</translation>
    </message>
    <message>
        <source>off</source>
        <translation>aus</translation>
    </message>
    <message>
        <source>Generated ids appear here.</source>
        <translation>Generierte IDs erscheinen hier.</translation>
    </message>
    <message>
        <source>Prompt</source>
        <translation>Prompt</translation>
    </message>
    <message>
        <source>&amp;Token ids:</source>
        <translation>&amp;Token-IDs:</translation>
    </message>
    <message>
        <source>Max &amp;new tokens:</source>
        <translation>Max. &amp;neue Tokens:</translation>
    </message>
    <message>
        <source>Decoding:</source>
        <translation>Dekodierung:</translation>
    </message>
    <message>
        <source>Sampling</source>
        <translation>Sampling</translation>
    </message>
    <message>
        <source>T&amp;emperature:</source>
        <translation>T&amp;emperatur:</translation>
    </message>
    <message>
        <source>Top-&amp;k:</source>
        <translation>Top-&amp;k:</translation>
    </message>
    <message>
        <source>Top-&amp;p:</source>
        <translation>Top-&amp;p:</translation>
    </message>
    <message>
        <source>&amp;Seed:</source>
        <translation>&amp;Seed:</translation>
    </message>
    <message>
        <source>Output</source>
        <translation>Ausgabe</translation>
    </message>
    <message>
        <source>“%1” is not a token id below %2.</source>
        <translation>„%1“ ist keine Token-ID unter %2.</translation>
    </message>
    <message>
        <source>Enter token ids separated by spaces.</source>
        <translation>Geben Sie durch Leerzeichen getrennte Token-IDs ein.</translation>
    </message>
    <message>
        <source>Generating…</source>
        <translation>Wird generiert…</translation>
    </message>
    <message>
        <source>%1 prompt ids + %2 new ids.</source>
        <translation>%1 Prompt-IDs + %2 neue IDs.</translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>Abgebrochen.</translation>
    </message>
    <message>
        <source>Failed: %1 [%2]</source>
        <translation>Fehlgeschlagen: %1 [%2]</translation>
    </message>
    <message>
        <source>Load a model (File &gt; Load Model…) to try it.</source>
        <translation>Laden Sie ein Modell (Datei &gt; Modell laden…), um es auszuprobieren.</translation>
    </message>
    <message>
        <source>%1 cannot generate text.</source>
        <translation>%1 kann keinen Text generieren.</translation>
    </message>
    <message>
        <source>%1, vocabulary of %2 ids.</source>
        <translation>%1, Vokabular mit %2 IDs.</translation>
    </message>
</context>
</TS>
