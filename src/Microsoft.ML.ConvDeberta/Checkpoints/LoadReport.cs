using static TorchSharp.torch;

namespace Microsoft.ML.ConvDeberta.Checkpoints;

/// <summary>What happened when a checkpoint was loaded into a model (Hugging Face's loading info).</summary>
/// <param name="NewlyInitialized">Model weights the checkpoint lacked (task heads), initialised as Hugging Face does.</param>
/// <param name="Unexpected">Checkpoint keys the model does not use (e.g. a pre-training head).</param>
/// <param name="Retied">Tied keys absent from the checkpoint that alias another weight (e.g. a masked-LM decoder).</param>
public sealed record LoadReport(
    IReadOnlyList<string> NewlyInitialized,
    IReadOnlyList<string> Unexpected,
    IReadOnlyList<string> Retied)
{
    /// <summary>
    /// The dtype the checkpoint stored its floating-point weights in (e.g. BFloat16), or null if unknown. Saving with
    /// this dtype writes the checkpoint back in its own precision, whatever dtype the model computed in.
    /// </summary>
    public ScalarType? StorageDType { get; init; }

    /// <summary>
    /// Head weights whose shape in the checkpoint did not fit the new task (e.g. a classifier fine-tuned for another
    /// number of labels) and were initialised afresh instead; each entry names both shapes. Empty unless asked for.
    /// </summary>
    public IReadOnlyList<string> ReplacedHead { get; init; } = [];

    /// <summary>A one-paragraph summary for logs.</summary>
    public override string ToString() =>
        $"{NewlyInitialized.Count} newly initialised ({string.Join(", ", NewlyInitialized.Take(8))}{(NewlyInitialized.Count > 8 ? ", …" : "")}); " +
        $"{Unexpected.Count} unused checkpoint keys ({string.Join(", ", Unexpected.Take(8))}{(Unexpected.Count > 8 ? ", …" : "")}); " +
        $"{Retied.Count} tied keys re-tied" +
        (ReplacedHead.Count > 0 ? $"; {ReplacedHead.Count} head weight(s) of another shape replaced ({string.Join("; ", ReplacedHead)})." : ".");
}
