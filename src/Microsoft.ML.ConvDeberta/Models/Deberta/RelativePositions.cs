using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.ConvDeberta.Models.Deberta;

/// <summary>
/// DeBERTa's relative positions δ(i, j) = i − j (query index minus key index), and the attention span that
/// decides which rows of the relative-position table a sequence uses.
/// </summary>
internal static class RelativePositions
{
    /// <summary>δ(i, j) = i − j for every query i and key j: (1, queryLength, keyLength) int64.</summary>
    public static Tensor Build(long queryLength, long keyLength, Device device)
    {
        using var scope = NewDisposeScope();
        var q = torch.arange(queryLength, dtype: ScalarType.Int64, device: device);   // (q)
        var k = torch.arange(keyLength, dtype: ScalarType.Int64, device: device);     // (k)
        return (q.unsqueeze(1) - k.unsqueeze(0)).unsqueeze(0).MoveToOuterDisposeScope(); // (1, q, k)
    }

    /// <summary>
    /// The attention span k = min(max(queryLength, keyLength), maxRelativePositions): distances are clamped to
    /// [−k, k − 1] and the table rows [max − k, max + k) are used.
    /// </summary>
    public static long AttentionSpan(long queryLength, long keyLength, int maxRelativePositions) =>
        Math.Min(Math.Max(queryLength, keyLength), maxRelativePositions);
}
