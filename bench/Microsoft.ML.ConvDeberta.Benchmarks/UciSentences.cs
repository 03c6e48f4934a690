namespace Microsoft.ML.ConvDeberta.Benchmarks;

/// <summary>A labelled UCI sentiment sentence (yelp, then amazon) as a row for <c>LoadFromEnumerable</c>.</summary>
internal sealed class UciSentence
{
    public string Text { get; set; } = "";
    public bool Label { get; set; }

    /// <summary>The first <paramref name="count"/> sentences of yelp_labelled.txt, then amazon_cells_labelled.txt.</summary>
    public static List<UciSentence> Read(int count) =>
        new[] { "yelp_labelled.txt", "amazon_cells_labelled.txt" }
            .SelectMany(file => File.ReadLines(SharedFolders.Require(Path.Combine(SharedFolders.Data, "uci_sentiment", file))))
            .Select(l => l.Split('\t')).Where(p => p.Length == 2).Select(p => new UciSentence { Text = p[0], Label = p[1].Trim() == "1" })
            .Take(count).ToList();
}
