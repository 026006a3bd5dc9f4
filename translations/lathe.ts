<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1">
<context>
    <name>CommandLine</name>
    <message>
        <source>Workbench for Hugging Face transformer checkpoints.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Render every main view to &lt;dir&gt;/&lt;view&gt;.png off screen, then exit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>dir</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checkpoint folder or weight file to open.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Expected at most one model, got %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--screenshot needs a directory.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DisplayFormat</name>
    <message>
        <source>%1 B</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;%1 %</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 %</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>scalar</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ErrorText</name>
    <message>
        <source>A value given to Lathe is not valid.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The file could not be read or written.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No model weights were found at this location.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The checkpoint file is damaged or incomplete.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The PyTorch file contains code Lathe does not run for safety reasons.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The model configuration (config.json) is invalid.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This model architecture is not supported yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A tensor the model needs is missing from the checkpoint.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A tensor in the checkpoint does not have the shape the model expects.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is not enough memory.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A network request failed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Access was denied. Check your Hugging Face token.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lathe does not support this operation yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>An internal error occurred in Lathe.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Error code: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FileDialog</name>
    <message>
        <source>Open Model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checkpoints (*.safetensors *.bin *.index.json)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save Model Into Folder</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lathe::ui::EngineDocument</name>
    <message>
        <source>Opening %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Estimating memory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Planning save</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Generating</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pruning heads</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resizing vocabulary</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saving to %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lathe::ui::LoadModelDialog</name>
    <message>
        <source>Browse…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Load</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel Loading</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Load Model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A checkpoint folder or weight file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Automatic (from config.json)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Details</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Source:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Data type:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Memory Estimate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Class:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Parameters:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Memory:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading Report</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading cancelled.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading headers…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2 bytes, buffers included)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ready to load.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt; [%2]</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>missing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>newly initialized</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unexpected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ignored</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>mismatched</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>checkpoint %1, model %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>complete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>every key matched</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no weights were newly initialized or ignored</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loaded %1 as %2: %3 missing, %4 unexpected, %5 mismatched keys.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lathe::ui::MainWindow</name>
    <message>
        <source>Opening cancelled.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could Not Open Model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not open “%1”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>About Lathe</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;Lathe %1&lt;/b&gt;&lt;p&gt;A workbench for Hugging Face transformer checkpoints.&lt;/p&gt;&lt;p&gt;Built with Qt %2.&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open &amp;Recent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Main Toolbar</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Open Model…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open a checkpoint folder or weight file (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Clear List</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Close Model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Filter…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Expand All</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>C&amp;ollapse All</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Cancel Operation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;About Lathe</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: cancelled.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Operation Failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 failed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: done.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Load Model…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Load</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Load a checkpoint to edit, save and try it (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Save Model…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Resize Vocabulary…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Try It</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Prune Heads</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Try It</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lathe::ui::ModelStatusBar</name>
    <message>
        <source>unknown model type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Model type from config.json</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Model type from config.json; architecture: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1 tensor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 tensors</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 parameters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 bytes of tensor data</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel the running operation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loaded model class; model type %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Memory footprint: %1 bytes, buffers included</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lathe::ui::ParamTreeModel</name>
    <message>
        <source>mixed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>several files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1 tensor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 tensors</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shares storage with %1; its bytes are counted there.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 bytes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Number of elements (tied weights counted once)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Size in memory (tied weights counted once)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Share of the checkpoint&apos;s total size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shape</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>DType</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Share of total</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>File</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lathe::ui::ParametersView</name>
    <message>
        <source>Filter by name, e.g. attn or *.bias</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shows modules and tensors whose path contains the text; * and ? are wildcards.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No matches</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No model open.
Open a checkpoint folder or file with Ctrl+O, or drop it here.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lathe::ui::PruneHeadsPanel</name>
    <message>
        <source>Clear</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Apply Pruning</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resize &amp;Vocabulary…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Attention Heads</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Vocabulary</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Parameters: %1 → %2 (−%3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pruning…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 token ids, hidden size %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Load a model (File &gt; Load Model…) to prune its attention heads.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 does not support head pruning (BERT and GPT-2 do).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 layers × %2 heads, head size %3: each head holds %4 parameters. %5 heads pruned earlier are greyed out.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Layer %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Layer %1, head %2: already pruned</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Layer %1, head %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Selected heads: %1, removing %2 parameters (%3); %4 → %5 parameters.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lathe::ui::ResizeVocabularyDialog</name>
    <message>
        <source>Initialize new rows with the mean embedding</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Apply</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resize Vocabulary</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no padding</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quantity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Before</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>After</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;New size:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Pad to multiple of:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resized.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resizing…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Load a model first (File &gt; Load Model…).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Vocabulary</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Memory footprint</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“After” is an estimate until applied.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lathe::ui::SaveModelDialog</name>
    <message>
        <source>Browse…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save Model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Folder to save into (replaced as a whole)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>safetensors</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PyTorch .bin</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>For example 5GB, 500MB or 2GiB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none (e.g. fp16)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep current</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Action</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Details</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Folder:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>F&amp;ormat:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Maximum &amp;shard size:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Variant:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Data type:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dry run — what saving will do:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saving: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved %1 files (%2) to %3.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saving cancelled; the folder is unchanged.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not save: %1 [%2]</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Load a model first (File &gt; Load Model…).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a folder.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The shard size is not a size (e.g. 5GB).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 tensors</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>write</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>delete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>stale shard of an earlier save</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>drop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>tied duplicate, restored on load</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 of weights in %2 files; %3 to delete, %4 tied duplicates dropped.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot save there: %1 [%2]</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lathe::ui::TryPanel</name>
    <message>
        <source>&amp;Greedy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sa&amp;mpling</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Generate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Token ids, e.g. 464 3290 286</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>off</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Generated ids appear here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Prompt</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Token ids:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Max &amp;new tokens:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Decoding:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sampling</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>T&amp;emperature:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Top-&amp;k:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Top-&amp;p:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Seed:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Output</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“%1” is not a token id below %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter token ids separated by spaces.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Generating…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 prompt ids + %2 new ids.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Failed: %1 [%2]</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Load a model (File &gt; Load Model…) to try it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 cannot generate text.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1, vocabulary of %2 ids.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
