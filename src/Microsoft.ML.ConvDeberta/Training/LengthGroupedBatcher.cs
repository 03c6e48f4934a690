namespace Microsoft.ML.ConvDeberta.Training;

/// <summary>
/// Batches of examples with similar lengths, so padding to the longest in each batch wastes little work
/// (Hugging Face's <c>group_by_length</c>): shuffle, cut into mega-batches of 50 batches, sort each mega-batch by
/// length, cut it into batches, then shuffle the batch order. Every epoch draws a new permutation.
/// </summary>
internal static class LengthGroupedBatcher
{
    private const int MegaBatchFactor = 50;

    public static List<int[]> Shuffled(IReadOnlyList<int> lengths, int batchSize, Random random)
    {
        var order = Enumerable.Range(0, lengths.Count).ToArray();
        random.Shuffle(order);
        var batches = new List<int[]>();
        int mega = batchSize * MegaBatchFactor;
        for (int start = 0; start < order.Length; start += mega)
        {
            var chunk = order.Skip(start).Take(mega).OrderByDescending(i => lengths[i]).ToArray();
            for (int b = 0; b < chunk.Length; b += batchSize)
                batches.Add(chunk.Skip(b).Take(batchSize).ToArray());
        }
        var shuffled = batches.ToArray();
        random.Shuffle(shuffled);
        return [.. shuffled];
    }

    /// <summary>Deterministic batches for scoring: sorted by length, each batch's rows in ascending index order.</summary>
    public static List<int[]> Sorted(IReadOnlyList<int> lengths, int batchSize)
    {
        var order = Enumerable.Range(0, lengths.Count).OrderByDescending(i => lengths[i]).ThenBy(i => i).ToArray();
        var batches = new List<int[]>();
        for (int b = 0; b < order.Length; b += batchSize)
            batches.Add(order.Skip(b).Take(batchSize).ToArray());
        return batches;
    }
}
