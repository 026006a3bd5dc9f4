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
</context>
<context>
    <name>lathe::ui::EngineDocument</name>
    <message>
        <source>Opening %1</source>
        <translation>%1 wird geöffnet</translation>
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
</TS>
