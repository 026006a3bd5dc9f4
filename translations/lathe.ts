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
</context>
<context>
    <name>lathe::ui::EngineDocument</name>
    <message>
        <source>Opening %1</source>
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
</TS>
