using Microsoft.ML.ConvDeberta.MLNet;
using Microsoft.ML.Data;
using System.Globalization;
using Microsoft.ML.ConvDeberta.Tests.Infrastructure;

namespace Microsoft.ML.ConvDeberta.Tests.MLNet;

/// <summary>Small slices of the shared public datasets as row classes for <c>LoadFromEnumerable</c>.</summary>
internal static class TextData
{
    public sealed class Sentiment { public string Text { get; set; } = ""; public bool Label { get; set; } }
    public sealed class Score { public string Text { get; set; } = ""; public float Label { get; set; } }
    public sealed class Intent { public string Text { get; set; } = ""; public string Label { get; set; } = ""; }
    public sealed class Similarity { public string Sentence1 { get; set; } = ""; public string Sentence2 { get; set; } = ""; public float Label { get; set; } }
    public sealed class Paraphrase { public string Sentence1 { get; set; } = ""; public string Sentence2 { get; set; } = ""; public bool Label { get; set; } }

    public static string Checkpoint(string name) => SharedData.Reference("checkpoints", name);

    /// <summary>The binary trainer of the family a shared tiny checkpoint belongs to, with <paramref name="options"/>' Checkpoint set to it.</summary>
    public static PretrainedTextTrainer BinaryTrainer(MLContext ml, string checkpointName, PretrainedTextTrainerOptions options)
    {
        options.Checkpoint = Checkpoint(checkpointName);
        var trainers = ml.BinaryClassification.Trainers;
        return checkpointName switch
        {
            "tiny-convbert" => trainers.ConvBert(options),
            "tiny-deberta" => trainers.Deberta(options),
            "tiny-deberta-v3" => trainers.DebertaV2(options),
            _ => throw new ArgumentException($"'{checkpointName}' is not one of the shared tiny checkpoints.", nameof(checkpointName)),
        };
    }

    public static readonly string[] Checkpoints = ["tiny-convbert", "tiny-deberta", "tiny-deberta-v3"];

    /// <summary>UCI sentiment (yelp + amazon + imdb), shuffled with a fixed seed.</summary>
    public static List<Sentiment> UciSentiment()
    {
        var rows = new List<Sentiment>();
        foreach (var file in new[] { "yelp_labelled.txt", "amazon_cells_labelled.txt", "imdb_labelled.txt" })
        {
            var path = Path.Combine(SharedData.Data("uci_sentiment"), file);
            if (!File.Exists(path)) continue;
            foreach (var line in File.ReadLines(path))
            {
                var tab = line.LastIndexOf('\t');
                if (tab <= 0) continue;
                rows.Add(new Sentiment { Text = line[..tab].Trim(), Label = line[(tab + 1)..].Trim() == "1" });
            }
        }
        return Shuffle(rows);
    }

    public static List<Intent> Snips(string file) =>
        Shuffle(File.ReadLines(Path.Combine(SharedData.Data("snips_intents"), file)).Skip(1)
            .Select(l => l.Split('\t')).Where(p => p.Length >= 2).Select(p => new Intent { Text = p[0], Label = p[1] }).ToList());

    public static List<Similarity> Stsb(string file) =>
        Shuffle(File.ReadLines(Path.Combine(SharedData.Data("stsb"), file)).Skip(1)
            .Select(l => l.Split('\t')).Where(p => p.Length >= 10)
            .Select(p => new Similarity { Sentence1 = p[7], Sentence2 = p[8], Label = float.Parse(p[9], CultureInfo.InvariantCulture) }).ToList());

    public static List<Paraphrase> Mrpc(string file) =>
        Shuffle(File.ReadLines(Path.Combine(SharedData.Data("mrpc"), file)).Skip(1)
            .Select(l => l.Split('\t')).Where(p => p.Length >= 5)
            .Select(p => new Paraphrase { Label = p[0] == "1", Sentence1 = p[3], Sentence2 = p[4] }).ToList());

    /// <summary>
    /// A sentence-pair task built from SNIPS: do two utterances ask for the same thing (same intent)? Half the pairs
    /// share the intent, half do not; both utterances are drawn from <paramref name="file"/> only, so train and test
    /// pairs never share an utterance.
    /// </summary>
    public static List<Paraphrase> SnipsSameIntentPairs(string file, int count, int seed)
    {
        var rows = Snips(file);
        var byIntent = rows.GroupBy(r => r.Label).ToDictionary(g => g.Key, g => g.ToList());
        var rng = new Random(seed);
        var pairs = new List<Paraphrase>(count);
        for (int i = 0; i < count; i++)
        {
            var first = rows[rng.Next(rows.Count)];
            bool same = i % 2 == 0;
            Intent second;
            if (same) second = byIntent[first.Label][rng.Next(byIntent[first.Label].Count)];
            else do second = rows[rng.Next(rows.Count)]; while (second.Label == first.Label);
            pairs.Add(new Paraphrase { Sentence1 = first.Text, Sentence2 = second.Text, Label = same });
        }
        return pairs;
    }

    /// <summary>A temporary copy of a shipped sample model (samples/models/<paramref name="name"/>) with untrained weights created.</summary>
    public static TemporaryCheckpoint SampleModelCopy(string name = "tiny-deberta-v3")
    {
        var source = Path.Combine(SharedData.RepoRoot, "samples", "models", name);
        var folder = Directory.CreateTempSubdirectory("sample-model-").FullName;
        foreach (var file in Directory.GetFiles(source).Where(f => !f.EndsWith("model.safetensors", StringComparison.Ordinal)))
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        Microsoft.ML.ConvDeberta.Checkpoints.UntrainedWeights.EnsureCreated(folder, seed: 1);
        return new TemporaryCheckpoint(folder);
    }

    public sealed record TemporaryCheckpoint(string Folder) : IDisposable
    {
        public void Dispose()
        {
            try { Directory.Delete(Folder, recursive: true); } catch (IOException) { }
        }
    }

    private static List<T> Shuffle<T>(List<T> rows)
    {
        var array = rows.ToArray();
        new Random(42).Shuffle(array);
        return [.. array];
    }
}
