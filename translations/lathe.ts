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
        <source>%1 %2</source>
        <translation type="unfinished"></translation>
    </message>
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
    <name>lathe::ui::DeviceMapDesign</name>
    <message>
        <source>GPU %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CPU</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Disk</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MPS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unlimited</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is over its budget by %2 (%3 placed, budget %4).</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n tensor(s) on no device, e.g. %1.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Check: %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Planner: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Planning the device map</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lathe::ui::DeviceMapDesigner</name>
    <message>
        <source>Device Map</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Device Map Designer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Design where each module goes: GPUs, CPU, disk</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Device Map Designer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Llama-2-70B-shaped tree (float16)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Auto plan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open Tree…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open a module-size tree JSON (lathe-cli plan --tree format)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Model Folder…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Size a local model folder from its config.json (no weights are read)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open Model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Plan the model open in the workbench</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hub repo: org/name[@revision]</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fetch Config</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fetch only the config files of a Hub repo (no weights) and size the model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GPUs </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Declared GPUs: design for hardware you do not have</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Budget of each GPU added</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> dtype </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>auto</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>torch_dtype the sizes follow (auto: the checkpoint&apos;s, or each tensor&apos;s own for a tree)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> mode </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>auto (balanced)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>device_map mode as from_pretrained(device_map=...) passes it to accelerate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Auto Plan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fill the lanes with accelerate&apos;s plan for these budgets</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Diff vs Auto</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Highlight modules placed differently from the last auto plan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save the map as JSON, accelerate&apos;s form (GPU ids as integers)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Load with This Map</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Load the model in the workbench with this device map</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open a local model folder to load it with this map (a tree or a Hub config has no weights)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No model: open a tree, a model folder or a Hub repo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Design a device map: drag modules or layer ranges between lanes, edit budgets, then export.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt; · %2 modules · %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Total %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>largest layer %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n module(s) differ from the auto plan</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>planning…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Changed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 failed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading a module tree</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Opening the tree</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sizing %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sizing the model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Importing a device map</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Importing the device map</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exporting the device map</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open Module Tree</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Module trees (*.json);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open Model Folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import Device Map</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Device maps (*.json);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export Device Map</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Device maps (*.json)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lathe::ui::DeviceMapOptionsBox</name>
    <message>
        <source>Device Map</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>None (everything on the CPU)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. cpu=2GiB,disk=20GiB (empty: the available RAM)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Needed for .bin checkpoints with modules on disk</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Device &amp;map:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Max &amp;memory:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Offload folder:</source>
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
    <message>
        <source>Closing model</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lathe::ui::HubBrowser</name>
    <message>
        <source>Searching…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Searching the Hub</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n model(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Search cancelled.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search failed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hub Error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not search the Hub.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search models (name contains)…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Author</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Any task</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Any library</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Search</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Most downloads</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Most likes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recently updated</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Trending</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recently created</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sort order</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hub: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lathe::ui::HubModelPageView</name>
    <message>
        <source>Fetching %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fetching %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not fetch “%1”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 downloads</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 likes</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n file(s), %1</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>updated %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This model has no model card.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>LFS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Downloading %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Waiting for the running job…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Downloaded to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Download cancelled.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not download “%1”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hub Error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Download</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Download Again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Storage</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Download if needed, then open the model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select a model to see its card.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lathe::ui::HubSearchModel</name>
    <message>
        <source>Model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Task</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Library</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Downloads</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Likes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Updated</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Size</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lathe::ui::LaneModel</name>
    <message>
        <source>(whole model)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The whole model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tied: moves with %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Differs from the auto plan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Module</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Size</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lathe::ui::LaneWidget</name>
    <message>
        <source>unlimited</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Budget of this device: 24GiB (2^30 bytes), 10GB (10^9), or plain bytes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Budget</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 placed · no limit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 of %2 · %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 over budget</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dashed line: the budget balancing gave this device (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not a size: use e.g. 24GiB, 10GB or 500MB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Move to</source>
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
    <message>
        <source>Planned devices:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Estimating memory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2 bytes as accelerate sizes the quantized model, weights at %3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>warning: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter max memory to see the plan; at load time the CPU budget is the available RAM.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>device map</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(whole model)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>warning</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> Device map: %1 resident, %2 offloaded to disk.</source>
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
    <message>
        <source>Hub</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Memory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Hub Browser</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Memory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Push to Hub…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Push</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save the loaded model and upload it to the Hub (%1)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lathe::ui::MemoryChart</name>
    <message>
        <source>(model)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt; (%2)&lt;br&gt;Parameters: %3&lt;br&gt;Buffers: %4&lt;br&gt;Activation peak: %5&lt;br&gt;RSS change: %6&lt;br&gt;Calls: %7, time: %8 ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Parameters + buffers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Activation peak</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bytes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Memory (%1)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lathe::ui::MemoryView</name>
    <message>
        <source>Memory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“%1” is not a list of token ids.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type ids separated by spaces; separate rows of equal length with “;”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Measuring memory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The forward pass failed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n module(s) measured in one forward pass; model activation peak %1.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Load a model (File › Load Model…) to measure it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Token ids:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. 15 42 7; 3 9 1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Depth:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Module depth charted (0 = the model)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Measure</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reset &amp;Zoom</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;Footprint by dtype&lt;/b&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;Footprint by module type&lt;/b&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dtype</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tensors</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bytes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Share</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Module type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Modules</source>
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
    <message>
        <source>%1 of %2</source>
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
    <name>lathe::ui::PushDialog</name>
    <message>
        <source>&amp;Private repository</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open a pull &amp;request instead of committing to main</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Push</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Push to Hub</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>user-or-org/model-name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Optional extended description</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>comma-separated, e.g. lathe, pruned</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No token: set HF_TOKEN or log in with `huggingface-cli login`.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Token from the environment (HF_TOKEN); Hub: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Token from the token file; Hub: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Repository:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Commit &amp;message:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Description:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Tags:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Token:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“%1” is not a repository id.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Use the form user-or-org/model-name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pushing to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Waiting for the running job…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2 of %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Pushed %n file(s).</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>View the commit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>View the pull request</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Push cancelled.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not push “%1”.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lathe::ui::QuantizationModel</name>
    <message>
        <source>Double-click to keep %1 in float and re-quantize the model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 × %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 %</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Module</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Out × In</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Packed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Max |error|</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Relative RMS error</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lathe::ui::QuantizationOptionsBox</name>
    <message>
        <source>Quantization</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Double quantization (quantize the absmax constants)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>None</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>8-bit (LLM.int8)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>4-bit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Input columns with a magnitude at or above this value run in floating point</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Modules kept in float, comma-separated (empty: the output embeddings)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Mode:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Outlier &amp;threshold:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>S&amp;kip modules:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>4-bit &amp;type:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Compute dtype:</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lathe::ui::QuantizationPanel</name>
    <message>
        <source>Quantization</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Quantization</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quantized layers and the error of their weights</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Recompute Errors</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Keep Selected in Float</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add the module to the skip list and reload the model quantized without it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Measuring quantization error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Error measurement cancelled.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt; [%2]: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reloading with %1 kept in float…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Load a model with quantization (File &gt; Load Model) to see its quantized layers.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Comparing the dequantized weights with the checkpoint&apos;s originals…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The loaded model is not quantized.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>8-bit LLM.int8, threshold %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>4-bit %1%2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, double quantization</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n quantized module(s) (%1); kept in float: %2.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>none</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Outlier column counts are not shown: the int8 kernel does not record them per input.</source>
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
