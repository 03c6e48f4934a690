namespace Microsoft.ML.ConvDeberta.Checkpoints;

/// <summary>What happened when a checkpoint was loaded into a model (Hugging Face's loading info).</summary>
public sealed record LoadReport(
    IReadOnlyList<string> NewlyInitialized,
    IReadOnlyList<string> Unexpected,
    IReadOnlyList<string> Retied)
{
    /// <summary>A one-paragraph summary for logs.</summary>
    public override string ToString() =>
        $"{NewlyInitialized.Count} newly initialised ({string.Join(", ", NewlyInitialized.Take(8))}{(NewlyInitialized.Count > 8 ? ", …" : "")}); " +
        $"{Unexpected.Count} unused checkpoint keys ({string.Join(", ", Unexpected.Take(8))}{(Unexpected.Count > 8 ? ", …" : "")}); " +
        $"{Retied.Count} tied keys re-tied.";
}
