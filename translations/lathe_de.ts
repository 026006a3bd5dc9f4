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
        <source>%1 %2</source>
        <translation>%1 %2</translation>
    </message>
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
    <name>lathe::ui::DeviceMapDesign</name>
    <message>
        <source>GPU %1</source>
        <translation>GPU %1</translation>
    </message>
    <message>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <source>Disk</source>
        <translation>Festplatte</translation>
    </message>
    <message>
        <source>MPS</source>
        <translation>MPS</translation>
    </message>
    <message>
        <source>unlimited</source>
        <translation>unbegrenzt</translation>
    </message>
    <message>
        <source>%1 is over its budget by %2 (%3 placed, budget %4).</source>
        <translation>%1 überschreitet sein Budget um %2 (%3 zugeordnet, Budget %4).</translation>
    </message>
    <message numerus="yes">
        <source>%n tensor(s) on no device, e.g. %1.</source>
        <translation>
            <numerusform>%n Tensor auf keinem Gerät, z. B. %1.</numerusform>
            <numerusform>%n Tensoren auf keinem Gerät, z. B. %1.</numerusform>
        </translation>
    </message>
    <message>
        <source>Check: %1.</source>
        <translation>Prüfung: %1.</translation>
    </message>
    <message>
        <source>Planner: %1</source>
        <translation>Planer: %1</translation>
    </message>
    <message>
        <source>Planning the device map</source>
        <translation>Gerätezuordnung wird geplant</translation>
    </message>
</context>
<context>
    <name>lathe::ui::DeviceMapDesigner</name>
    <message>
        <source>Device Map</source>
        <translation>Gerätezuordnung</translation>
    </message>
    <message>
        <source>&amp;Device Map Designer</source>
        <translation>&amp;Gerätezuordnung entwerfen</translation>
    </message>
    <message>
        <source>Design where each module goes: GPUs, CPU, disk</source>
        <translation>Entwerfen, wohin jedes Modul kommt: GPUs, CPU, Festplatte</translation>
    </message>
    <message>
        <source>Device Map Designer</source>
        <translation>Gerätezuordnung entwerfen</translation>
    </message>
    <message>
        <source>Llama-2-70B-shaped tree (float16)</source>
        <translation>Baum in Form von Llama-2-70B (float16)</translation>
    </message>
    <message>
        <source>Auto plan</source>
        <translation>Automatischer Plan</translation>
    </message>
    <message>
        <source>Open Tree…</source>
        <translation>Baum öffnen…</translation>
    </message>
    <message>
        <source>Open a module-size tree JSON (lathe-cli plan --tree format)</source>
        <translation>Eine JSON-Datei mit Modulgrößenbaum öffnen (Format von lathe-cli plan --tree)</translation>
    </message>
    <message>
        <source>Model Folder…</source>
        <translation>Modellordner…</translation>
    </message>
    <message>
        <source>Size a local model folder from its config.json (no weights are read)</source>
        <translation>Einen lokalen Modellordner anhand seiner config.json bemessen (es werden keine Gewichte gelesen)</translation>
    </message>
    <message>
        <source>Open Model</source>
        <translation>Modell öffnen</translation>
    </message>
    <message>
        <source>Plan the model open in the workbench</source>
        <translation>Das in der Werkbank geöffnete Modell planen</translation>
    </message>
    <message>
        <source>Hub repo: org/name[@revision]</source>
        <translation>Hub-Repository: org/name[@revision]</translation>
    </message>
    <message>
        <source>Fetch Config</source>
        <translation>Konfiguration holen</translation>
    </message>
    <message>
        <source>Fetch only the config files of a Hub repo (no weights) and size the model</source>
        <translation>Nur die Konfigurationsdateien eines Hub-Repositorys holen (keine Gewichte) und das Modell bemessen</translation>
    </message>
    <message>
        <source>GPUs </source>
        <translation>GPUs </translation>
    </message>
    <message>
        <source>Declared GPUs: design for hardware you do not have</source>
        <translation>Angenommene GPUs: für Hardware planen, die Sie nicht haben</translation>
    </message>
    <message>
        <source>Budget of each GPU added</source>
        <translation>Budget jeder hinzugefügten GPU</translation>
    </message>
    <message>
        <source> dtype </source>
        <translation> Datentyp </translation>
    </message>
    <message>
        <source>auto</source>
        <translation>auto</translation>
    </message>
    <message>
        <source>torch_dtype the sizes follow (auto: the checkpoint&apos;s, or each tensor&apos;s own for a tree)</source>
        <translation>torch_dtype, nach dem sich die Größen richten (auto: der des Checkpoints oder bei einem Baum der jedes Tensors)</translation>
    </message>
    <message>
        <source> mode </source>
        <translation> Modus </translation>
    </message>
    <message>
        <source>auto (balanced)</source>
        <translation>auto (balanced)</translation>
    </message>
    <message>
        <source>device_map mode as from_pretrained(device_map=...) passes it to accelerate</source>
        <translation>device_map-Modus, wie from_pretrained(device_map=...) ihn an accelerate übergibt</translation>
    </message>
    <message>
        <source>Auto Plan</source>
        <translation>Automatisch planen</translation>
    </message>
    <message>
        <source>Fill the lanes with accelerate&apos;s plan for these budgets</source>
        <translation>Die Spalten mit dem Plan von accelerate für diese Budgets füllen</translation>
    </message>
    <message>
        <source>Diff vs Auto</source>
        <translation>Unterschiede zum Automatikplan</translation>
    </message>
    <message>
        <source>Highlight modules placed differently from the last auto plan</source>
        <translation>Module hervorheben, die anders als im letzten automatischen Plan platziert sind</translation>
    </message>
    <message>
        <source>Import…</source>
        <translation>Importieren…</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>Exportieren…</translation>
    </message>
    <message>
        <source>Save the map as JSON, accelerate&apos;s form (GPU ids as integers)</source>
        <translation>Die Zuordnung als JSON in der Form von accelerate speichern (GPU-IDs als Ganzzahlen)</translation>
    </message>
    <message>
        <source>Load with This Map</source>
        <translation>Mit dieser Zuordnung laden</translation>
    </message>
    <message>
        <source>Load the model in the workbench with this device map</source>
        <translation>Das Modell in der Werkbank mit dieser Gerätezuordnung laden</translation>
    </message>
    <message>
        <source>Open a local model folder to load it with this map (a tree or a Hub config has no weights)</source>
        <translation>Öffnen Sie einen lokalen Modellordner, um ihn mit dieser Zuordnung zu laden (ein Baum oder eine Hub-Konfiguration hat keine Gewichte)</translation>
    </message>
    <message>
        <source>No model: open a tree, a model folder or a Hub repo</source>
        <translation>Kein Modell: Öffnen Sie einen Baum, einen Modellordner oder ein Hub-Repository</translation>
    </message>
    <message>
        <source>Design a device map: drag modules or layer ranges between lanes, edit budgets, then export.</source>
        <translation>Gerätezuordnung entwerfen: Module oder Schichtbereiche zwischen Spalten ziehen, Budgets bearbeiten, dann exportieren.</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt; · %2 modules · %3</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; · %2 Module · %3</translation>
    </message>
    <message>
        <source>Total %1</source>
        <translation>Gesamt %1</translation>
    </message>
    <message>
        <source>largest layer %1</source>
        <translation>größte Schicht %1</translation>
    </message>
    <message numerus="yes">
        <source>%n module(s) differ from the auto plan</source>
        <translation>
            <numerusform>%n Modul weicht vom automatischen Plan ab</numerusform>
            <numerusform>%n Module weichen vom automatischen Plan ab</numerusform>
        </translation>
    </message>
    <message>
        <source>planning…</source>
        <translation>wird geplant…</translation>
    </message>
    <message>
        <source>Changed: %1</source>
        <translation>Geändert: %1</translation>
    </message>
    <message>
        <source>%1 failed.</source>
        <translation>%1 ist fehlgeschlagen.</translation>
    </message>
    <message>
        <source>Reading a module tree</source>
        <translation>Modulbaum wird gelesen</translation>
    </message>
    <message>
        <source>Opening the tree</source>
        <translation>Baum wird geöffnet</translation>
    </message>
    <message>
        <source>Sizing %1</source>
        <translation>%1 wird bemessen</translation>
    </message>
    <message>
        <source>Sizing the model</source>
        <translation>Modell wird bemessen</translation>
    </message>
    <message>
        <source>Importing a device map</source>
        <translation>Gerätezuordnung wird importiert</translation>
    </message>
    <message>
        <source>Importing the device map</source>
        <translation>Gerätezuordnung wird importiert</translation>
    </message>
    <message>
        <source>Exporting the device map</source>
        <translation>Gerätezuordnung wird exportiert</translation>
    </message>
    <message>
        <source>Open Module Tree</source>
        <translation>Modulbaum öffnen</translation>
    </message>
    <message>
        <source>Module trees (*.json);;All files (*)</source>
        <translation>Modulbäume (*.json);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Open Model Folder</source>
        <translation>Modellordner öffnen</translation>
    </message>
    <message>
        <source>Import Device Map</source>
        <translation>Gerätezuordnung importieren</translation>
    </message>
    <message>
        <source>Device maps (*.json);;All files (*)</source>
        <translation>Gerätezuordnungen (*.json);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Export Device Map</source>
        <translation>Gerätezuordnung exportieren</translation>
    </message>
    <message>
        <source>Device maps (*.json)</source>
        <translation>Gerätezuordnungen (*.json)</translation>
    </message>
</context>
<context>
    <name>lathe::ui::DeviceMapOptionsBox</name>
    <message>
        <source>Device Map</source>
        <translation>Gerätezuordnung</translation>
    </message>
    <message>
        <source>None (everything on the CPU)</source>
        <translation>Keine (alles auf der CPU)</translation>
    </message>
    <message>
        <source>e.g. cpu=2GiB,disk=20GiB (empty: the available RAM)</source>
        <translation>z. B. cpu=2GiB,disk=20GiB (leer: der verfügbare Arbeitsspeicher)</translation>
    </message>
    <message>
        <source>Needed for .bin checkpoints with modules on disk</source>
        <translation>Nötig für .bin-Checkpoints mit Modulen auf der Festplatte</translation>
    </message>
    <message>
        <source>Device &amp;map:</source>
        <translation>Geräte&amp;zuordnung:</translation>
    </message>
    <message>
        <source>Max &amp;memory:</source>
        <translation>Max. &amp;Speicher:</translation>
    </message>
    <message>
        <source>&amp;Offload folder:</source>
        <translation>&amp;Auslagerungsordner:</translation>
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
    <message>
        <source>Closing model</source>
        <translation>Modell wird geschlossen</translation>
    </message>
</context>
<context>
    <name>lathe::ui::HubBrowser</name>
    <message>
        <source>Searching…</source>
        <translation>Suche läuft…</translation>
    </message>
    <message>
        <source>Searching the Hub</source>
        <translation>Hub wird durchsucht</translation>
    </message>
    <message numerus="yes">
        <source>%n model(s)</source>
        <translation>
            <numerusform>%n Modell</numerusform>
            <numerusform>%n Modelle</numerusform>
        </translation>
    </message>
    <message>
        <source>Search cancelled.</source>
        <translation>Suche abgebrochen.</translation>
    </message>
    <message>
        <source>Search failed.</source>
        <translation>Suche fehlgeschlagen.</translation>
    </message>
    <message>
        <source>Hub Error</source>
        <translation>Hub-Fehler</translation>
    </message>
    <message>
        <source>Could not search the Hub.</source>
        <translation>Der Hub konnte nicht durchsucht werden.</translation>
    </message>
    <message>
        <source>Search models (name contains)…</source>
        <translation>Modelle suchen (Name enthält)…</translation>
    </message>
    <message>
        <source>Author</source>
        <translation>Autor</translation>
    </message>
    <message>
        <source>Any task</source>
        <translation>Jede Aufgabe</translation>
    </message>
    <message>
        <source>Any library</source>
        <translation>Jede Bibliothek</translation>
    </message>
    <message>
        <source>&amp;Search</source>
        <translation>&amp;Suchen</translation>
    </message>
    <message>
        <source>Most downloads</source>
        <translation>Meiste Downloads</translation>
    </message>
    <message>
        <source>Most likes</source>
        <translation>Meiste Likes</translation>
    </message>
    <message>
        <source>Recently updated</source>
        <translation>Zuletzt aktualisiert</translation>
    </message>
    <message>
        <source>Trending</source>
        <translation>Im Trend</translation>
    </message>
    <message>
        <source>Recently created</source>
        <translation>Zuletzt erstellt</translation>
    </message>
    <message>
        <source>Sort order</source>
        <translation>Sortierung</translation>
    </message>
    <message>
        <source>Hub: %1</source>
        <translation>Hub: %1</translation>
    </message>
</context>
<context>
    <name>lathe::ui::HubModelPageView</name>
    <message>
        <source>Fetching %1…</source>
        <translation>%1 wird abgerufen…</translation>
    </message>
    <message>
        <source>Fetching %1</source>
        <translation>%1 wird abgerufen</translation>
    </message>
    <message>
        <source>Could not fetch “%1”.</source>
        <translation>„%1“ konnte nicht abgerufen werden.</translation>
    </message>
    <message>
        <source>%1 downloads</source>
        <translation>%1 Downloads</translation>
    </message>
    <message>
        <source>%1 likes</source>
        <translation>%1 Likes</translation>
    </message>
    <message numerus="yes">
        <source>%n file(s), %1</source>
        <translation>
            <numerusform>%n Datei, %1</numerusform>
            <numerusform>%n Dateien, %1</numerusform>
        </translation>
    </message>
    <message>
        <source>updated %1</source>
        <translation>aktualisiert %1</translation>
    </message>
    <message>
        <source>This model has no model card.</source>
        <translation>Dieses Modell hat keine Modellkarte.</translation>
    </message>
    <message>
        <source>LFS</source>
        <translation>LFS</translation>
    </message>
    <message>
        <source>Downloading %1</source>
        <translation>%1 wird heruntergeladen</translation>
    </message>
    <message>
        <source>Waiting for the running job…</source>
        <translation>Warten auf den laufenden Vorgang…</translation>
    </message>
    <message>
        <source>Downloaded to %1</source>
        <translation>Heruntergeladen nach %1</translation>
    </message>
    <message>
        <source>Download cancelled.</source>
        <translation>Download abgebrochen.</translation>
    </message>
    <message>
        <source>Could not download “%1”.</source>
        <translation>„%1“ konnte nicht heruntergeladen werden.</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 von %2</translation>
    </message>
    <message>
        <source>Hub Error</source>
        <translation>Hub-Fehler</translation>
    </message>
    <message>
        <source>&amp;Download</source>
        <translation>&amp;Herunterladen</translation>
    </message>
    <message>
        <source>&amp;Download Again</source>
        <translation>Erneut &amp;herunterladen</translation>
    </message>
    <message>
        <source>File</source>
        <translation>Datei</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Größe</translation>
    </message>
    <message>
        <source>Storage</source>
        <translation>Speicherung</translation>
    </message>
    <message>
        <source>&amp;Open</source>
        <translation>Ö&amp;ffnen</translation>
    </message>
    <message>
        <source>Download if needed, then open the model</source>
        <translation>Falls nötig herunterladen, dann das Modell öffnen</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Select a model to see its card.</source>
        <translation>Wählen Sie ein Modell, um seine Karte zu sehen.</translation>
    </message>
</context>
<context>
    <name>lathe::ui::HubSearchModel</name>
    <message>
        <source>Model</source>
        <translation>Modell</translation>
    </message>
    <message>
        <source>Task</source>
        <translation>Aufgabe</translation>
    </message>
    <message>
        <source>Library</source>
        <translation>Bibliothek</translation>
    </message>
    <message>
        <source>Downloads</source>
        <translation>Downloads</translation>
    </message>
    <message>
        <source>Likes</source>
        <translation>Likes</translation>
    </message>
    <message>
        <source>Updated</source>
        <translation>Aktualisiert</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Größe</translation>
    </message>
</context>
<context>
    <name>lathe::ui::LaneModel</name>
    <message>
        <source>(whole model)</source>
        <translation>(ganzes Modell)</translation>
    </message>
    <message>
        <source>The whole model</source>
        <translation>Das ganze Modell</translation>
    </message>
    <message>
        <source>Tied: moves with %1</source>
        <translation>Gekoppelt: wird mit %1 verschoben</translation>
    </message>
    <message>
        <source>Differs from the auto plan</source>
        <translation>Weicht vom automatischen Plan ab</translation>
    </message>
    <message>
        <source>Module</source>
        <translation>Modul</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Größe</translation>
    </message>
</context>
<context>
    <name>lathe::ui::LaneWidget</name>
    <message>
        <source>unlimited</source>
        <translation>unbegrenzt</translation>
    </message>
    <message>
        <source>Budget of this device: 24GiB (2^30 bytes), 10GB (10^9), or plain bytes</source>
        <translation>Budget dieses Geräts: 24GiB (2^30 Bytes), 10GB (10^9) oder Bytes</translation>
    </message>
    <message>
        <source>Budget</source>
        <translation>Budget</translation>
    </message>
    <message>
        <source>%1 placed · no limit</source>
        <translation>%1 zugeordnet · ohne Grenze</translation>
    </message>
    <message>
        <source>%1 of %2 · %3</source>
        <translation>%1 von %2 · %3</translation>
    </message>
    <message>
        <source>%1 over budget</source>
        <translation>%1 über dem Budget</translation>
    </message>
    <message>
        <source>Dashed line: the budget balancing gave this device (%1)</source>
        <translation>Gestrichelte Linie: das Budget, das die Balancierung diesem Gerät gab (%1)</translation>
    </message>
    <message>
        <source>Not a size: use e.g. 24GiB, 10GB or 500MB</source>
        <translation>Keine Größe: verwenden Sie z. B. 24GiB, 10GB oder 500MB</translation>
    </message>
    <message>
        <source>Move to</source>
        <translation>Verschieben nach</translation>
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
    <message>
        <source>Planned devices:</source>
        <translation>Geplante Geräte:</translation>
    </message>
    <message>
        <source>Estimating memory</source>
        <translation>Speicherbedarf wird geschätzt</translation>
    </message>
    <message>
        <source>%1 (%2 bytes as accelerate sizes the quantized model, weights at %3)</source>
        <translation>%1 (%2 Bytes, wie accelerate das quantisierte Modell bemisst, Gewichte in %3)</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>warning: %1</source>
        <translation>Warnung: %1</translation>
    </message>
    <message>
        <source>Enter max memory to see the plan; at load time the CPU budget is the available RAM.</source>
        <translation>Geben Sie den maximalen Speicher ein, um den Plan zu sehen; beim Laden ist das CPU-Budget der verfügbare Arbeitsspeicher.</translation>
    </message>
    <message>
        <source>device map</source>
        <translation>Gerätezuordnung</translation>
    </message>
    <message>
        <source>(whole model)</source>
        <translation>(ganzes Modell)</translation>
    </message>
    <message>
        <source>warning</source>
        <translation>Warnung</translation>
    </message>
    <message>
        <source> Device map: %1 resident, %2 offloaded to disk.</source>
        <translation> Gerätezuordnung: %1 im Speicher, %2 auf die Festplatte ausgelagert.</translation>
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
    <message>
        <source>Hub</source>
        <translation>Hub</translation>
    </message>
    <message>
        <source>Memory</source>
        <translation>Speicher</translation>
    </message>
    <message>
        <source>&amp;Hub Browser</source>
        <translation>&amp;Hub-Browser</translation>
    </message>
    <message>
        <source>&amp;Memory</source>
        <translation>&amp;Speicher</translation>
    </message>
    <message>
        <source>&amp;Push to Hub…</source>
        <translation>Zum Hub &amp;hochladen…</translation>
    </message>
    <message>
        <source>Push</source>
        <translation>Hochladen</translation>
    </message>
    <message>
        <source>Save the loaded model and upload it to the Hub (%1)</source>
        <translation>Das geladene Modell speichern und zum Hub hochladen (%1)</translation>
    </message>
</context>
<context>
    <name>lathe::ui::MemoryChart</name>
    <message>
        <source>(model)</source>
        <translation>(Modell)</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt; (%2)&lt;br&gt;Parameters: %3&lt;br&gt;Buffers: %4&lt;br&gt;Activation peak: %5&lt;br&gt;RSS change: %6&lt;br&gt;Calls: %7, time: %8 ms</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; (%2)&lt;br&gt;Parameter: %3&lt;br&gt;Puffer: %4&lt;br&gt;Aktivierungsspitze: %5&lt;br&gt;RSS-Änderung: %6&lt;br&gt;Aufrufe: %7, Zeit: %8 ms</translation>
    </message>
    <message>
        <source>Parameters + buffers</source>
        <translation>Parameter + Puffer</translation>
    </message>
    <message>
        <source>Activation peak</source>
        <translation>Aktivierungsspitze</translation>
    </message>
    <message>
        <source>Bytes</source>
        <translation>Bytes</translation>
    </message>
    <message>
        <source>Memory (%1)</source>
        <translation>Speicher (%1)</translation>
    </message>
</context>
<context>
    <name>lathe::ui::MemoryView</name>
    <message>
        <source>Memory</source>
        <translation>Speicher</translation>
    </message>
    <message>
        <source>“%1” is not a list of token ids.</source>
        <translation>„%1“ ist keine Liste von Token-IDs.</translation>
    </message>
    <message>
        <source>Type ids separated by spaces; separate rows of equal length with “;”.</source>
        <translation>IDs durch Leerzeichen getrennt eingeben; gleich lange Zeilen mit „;“ trennen.</translation>
    </message>
    <message>
        <source>Measuring memory</source>
        <translation>Speicher wird gemessen</translation>
    </message>
    <message>
        <source>The forward pass failed.</source>
        <translation>Der Vorwärtsdurchlauf ist fehlgeschlagen.</translation>
    </message>
    <message numerus="yes">
        <source>%n module(s) measured in one forward pass; model activation peak %1.</source>
        <translation>
            <numerusform>%n Modul in einem Vorwärtsdurchlauf gemessen; Aktivierungsspitze des Modells %1.</numerusform>
            <numerusform>%n Module in einem Vorwärtsdurchlauf gemessen; Aktivierungsspitze des Modells %1.</numerusform>
        </translation>
    </message>
    <message>
        <source>Load a model (File › Load Model…) to measure it.</source>
        <translation>Laden Sie ein Modell (Datei › Modell laden…), um es zu messen.</translation>
    </message>
    <message>
        <source>&amp;Token ids:</source>
        <translation>&amp;Token-IDs:</translation>
    </message>
    <message>
        <source>e.g. 15 42 7; 3 9 1</source>
        <translation>z. B. 15 42 7; 3 9 1</translation>
    </message>
    <message>
        <source>&amp;Depth:</source>
        <translation>&amp;Tiefe:</translation>
    </message>
    <message>
        <source>Module depth charted (0 = the model)</source>
        <translation>Dargestellte Modultiefe (0 = das Modell)</translation>
    </message>
    <message>
        <source>&amp;Measure</source>
        <translation>&amp;Messen</translation>
    </message>
    <message>
        <source>Reset &amp;Zoom</source>
        <translation>&amp;Zoom zurücksetzen</translation>
    </message>
    <message>
        <source>&lt;b&gt;Footprint by dtype&lt;/b&gt;</source>
        <translation>&lt;b&gt;Speicherbedarf nach Datentyp&lt;/b&gt;</translation>
    </message>
    <message>
        <source>&lt;b&gt;Footprint by module type&lt;/b&gt;</source>
        <translation>&lt;b&gt;Speicherbedarf nach Modultyp&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Dtype</source>
        <translation>Datentyp</translation>
    </message>
    <message>
        <source>Tensors</source>
        <translation>Tensoren</translation>
    </message>
    <message>
        <source>Bytes</source>
        <translation>Bytes</translation>
    </message>
    <message>
        <source>Share</source>
        <translation>Anteil</translation>
    </message>
    <message>
        <source>Module type</source>
        <translation>Modultyp</translation>
    </message>
    <message>
        <source>Modules</source>
        <translation>Module</translation>
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
    <message>
        <source>%1 of %2</source>
        <translation>%1 von %2</translation>
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
    <name>lathe::ui::PushDialog</name>
    <message>
        <source>&amp;Private repository</source>
        <translation>&amp;Privates Repository</translation>
    </message>
    <message>
        <source>Open a pull &amp;request instead of committing to main</source>
        <translation>Einen Pull-&amp;Request öffnen, statt auf main zu committen</translation>
    </message>
    <message>
        <source>&amp;Push</source>
        <translation>&amp;Hochladen</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <source>Push to Hub</source>
        <translation>Zum Hub hochladen</translation>
    </message>
    <message>
        <source>user-or-org/model-name</source>
        <translation>nutzer-oder-org/modellname</translation>
    </message>
    <message>
        <source>Optional extended description</source>
        <translation>Optionale ausführliche Beschreibung</translation>
    </message>
    <message>
        <source>comma-separated, e.g. lathe, pruned</source>
        <translation>durch Kommas getrennt, z. B. lathe, pruned</translation>
    </message>
    <message>
        <source>No token: set HF_TOKEN or log in with `huggingface-cli login`.</source>
        <translation>Kein Token: Setzen Sie HF_TOKEN oder melden Sie sich mit `huggingface-cli login` an.</translation>
    </message>
    <message>
        <source>Token from the environment (HF_TOKEN); Hub: %1</source>
        <translation>Token aus der Umgebung (HF_TOKEN); Hub: %1</translation>
    </message>
    <message>
        <source>Token from the token file; Hub: %1</source>
        <translation>Token aus der Token-Datei; Hub: %1</translation>
    </message>
    <message>
        <source>&amp;Repository:</source>
        <translation>&amp;Repository:</translation>
    </message>
    <message>
        <source>Commit &amp;message:</source>
        <translation>Commit-&amp;Nachricht:</translation>
    </message>
    <message>
        <source>&amp;Description:</source>
        <translation>&amp;Beschreibung:</translation>
    </message>
    <message>
        <source>&amp;Tags:</source>
        <translation>&amp;Tags:</translation>
    </message>
    <message>
        <source>Token:</source>
        <translation>Token:</translation>
    </message>
    <message>
        <source>“%1” is not a repository id.</source>
        <translation>„%1“ ist keine Repository-ID.</translation>
    </message>
    <message>
        <source>Use the form user-or-org/model-name.</source>
        <translation>Verwenden Sie die Form nutzer-oder-org/modellname.</translation>
    </message>
    <message>
        <source>Pushing to %1</source>
        <translation>Hochladen nach %1</translation>
    </message>
    <message>
        <source>Waiting for the running job…</source>
        <translation>Warten auf den laufenden Vorgang…</translation>
    </message>
    <message>
        <source>%1: %2 of %3</source>
        <translation>%1: %2 von %3</translation>
    </message>
    <message numerus="yes">
        <source>Pushed %n file(s).</source>
        <translation>
            <numerusform>%n Datei hochgeladen.</numerusform>
            <numerusform>%n Dateien hochgeladen.</numerusform>
        </translation>
    </message>
    <message>
        <source>View the commit</source>
        <translation>Commit ansehen</translation>
    </message>
    <message>
        <source>View the pull request</source>
        <translation>Pull-Request ansehen</translation>
    </message>
    <message>
        <source>Push cancelled.</source>
        <translation>Hochladen abgebrochen.</translation>
    </message>
    <message>
        <source>Could not push “%1”.</source>
        <translation>„%1“ konnte nicht hochgeladen werden.</translation>
    </message>
</context>
<context>
    <name>lathe::ui::QuantizationModel</name>
    <message>
        <source>Double-click to keep %1 in float and re-quantize the model</source>
        <translation>Doppelklicken, um %1 in Gleitkomma zu behalten und das Modell neu zu quantisieren</translation>
    </message>
    <message>
        <source>%1 × %2</source>
        <translation>%1 × %2</translation>
    </message>
    <message>
        <source>%1 %</source>
        <translation>%1 %</translation>
    </message>
    <message>
        <source>Module</source>
        <translation>Modul</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Art</translation>
    </message>
    <message>
        <source>Out × In</source>
        <translation>Aus × Ein</translation>
    </message>
    <message>
        <source>Packed</source>
        <translation>Gepackt</translation>
    </message>
    <message>
        <source>Max |error|</source>
        <translation>Max. |Fehler|</translation>
    </message>
    <message>
        <source>Relative RMS error</source>
        <translation>Relativer RMS-Fehler</translation>
    </message>
</context>
<context>
    <name>lathe::ui::QuantizationOptionsBox</name>
    <message>
        <source>Quantization</source>
        <translation>Quantisierung</translation>
    </message>
    <message>
        <source>Double quantization (quantize the absmax constants)</source>
        <translation>Doppelte Quantisierung (die absmax-Konstanten quantisieren)</translation>
    </message>
    <message>
        <source>None</source>
        <translation>Keine</translation>
    </message>
    <message>
        <source>8-bit (LLM.int8)</source>
        <translation>8 Bit (LLM.int8)</translation>
    </message>
    <message>
        <source>4-bit</source>
        <translation>4 Bit</translation>
    </message>
    <message>
        <source>Input columns with a magnitude at or above this value run in floating point</source>
        <translation>Eingabespalten mit einem Betrag ab diesem Wert werden in Gleitkomma gerechnet</translation>
    </message>
    <message>
        <source>Modules kept in float, comma-separated (empty: the output embeddings)</source>
        <translation>In Gleitkomma behaltene Module, durch Kommas getrennt (leer: die Ausgabe-Embeddings)</translation>
    </message>
    <message>
        <source>&amp;Mode:</source>
        <translation>&amp;Modus:</translation>
    </message>
    <message>
        <source>Outlier &amp;threshold:</source>
        <translation>Ausreißer-&amp;Schwelle:</translation>
    </message>
    <message>
        <source>S&amp;kip modules:</source>
        <translation>Module a&amp;uslassen:</translation>
    </message>
    <message>
        <source>4-bit &amp;type:</source>
        <translation>4-Bit-&amp;Typ:</translation>
    </message>
    <message>
        <source>&amp;Compute dtype:</source>
        <translation>&amp;Rechen-Datentyp:</translation>
    </message>
</context>
<context>
    <name>lathe::ui::QuantizationPanel</name>
    <message>
        <source>Quantization</source>
        <translation>Quantisierung</translation>
    </message>
    <message>
        <source>&amp;Quantization</source>
        <translation>&amp;Quantisierung</translation>
    </message>
    <message>
        <source>Quantized layers and the error of their weights</source>
        <translation>Quantisierte Schichten und der Fehler ihrer Gewichte</translation>
    </message>
    <message>
        <source>&amp;Recompute Errors</source>
        <translation>Fehler neu &amp;berechnen</translation>
    </message>
    <message>
        <source>&amp;Keep Selected in Float</source>
        <translation>Auswahl in Gleitkomma &amp;behalten</translation>
    </message>
    <message>
        <source>Add the module to the skip list and reload the model quantized without it</source>
        <translation>Das Modul zur Auslassliste hinzufügen und das Modell ohne es quantisiert neu laden</translation>
    </message>
    <message>
        <source>Measuring quantization error</source>
        <translation>Quantisierungsfehler wird gemessen</translation>
    </message>
    <message>
        <source>Error measurement cancelled.</source>
        <translation>Fehlermessung abgebrochen.</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt; [%2]: %3</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; [%2]: %3</translation>
    </message>
    <message>
        <source>Reloading with %1 kept in float…</source>
        <translation>Neu laden, %1 bleibt in Gleitkomma…</translation>
    </message>
    <message>
        <source>Load a model with quantization (File &gt; Load Model) to see its quantized layers.</source>
        <translation>Laden Sie ein Modell mit Quantisierung (Datei &gt; Modell laden), um seine quantisierten Schichten zu sehen.</translation>
    </message>
    <message>
        <source>Comparing the dequantized weights with the checkpoint&apos;s originals…</source>
        <translation>Die dequantisierten Gewichte werden mit den Originalen des Checkpoints verglichen…</translation>
    </message>
    <message>
        <source>The loaded model is not quantized.</source>
        <translation>Das geladene Modell ist nicht quantisiert.</translation>
    </message>
    <message>
        <source>8-bit LLM.int8, threshold %1</source>
        <translation>8 Bit LLM.int8, Schwelle %1</translation>
    </message>
    <message>
        <source>4-bit %1%2</source>
        <translation>4 Bit %1%2</translation>
    </message>
    <message>
        <source>, double quantization</source>
        <translation>, doppelte Quantisierung</translation>
    </message>
    <message numerus="yes">
        <source>%n quantized module(s) (%1); kept in float: %2.</source>
        <translation>
            <numerusform>%n quantisiertes Modul (%1); in Gleitkomma behalten: %2.</numerusform>
            <numerusform>%n quantisierte Module (%1); in Gleitkomma behalten: %2.</numerusform>
        </translation>
    </message>
    <message>
        <source>none</source>
        <translation>keine</translation>
    </message>
    <message>
        <source>Outlier column counts are not shown: the int8 kernel does not record them per input.</source>
        <translation>Die Anzahl der Ausreißerspalten wird nicht angezeigt: Der int8-Kernel erfasst sie nicht pro Eingabe.</translation>
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
