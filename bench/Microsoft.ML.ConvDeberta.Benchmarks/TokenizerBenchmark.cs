using System.Diagnostics;
using System.Text.Json;
using Microsoft.ML.ConvDeberta.Tokenization;

namespace Microsoft.ML.ConvDeberta.Benchmarks;

/// <summary>
/// Batch-encoding throughput (tokens/s, all cores) of each family's tokenizer on the reference corpus (225 lines of
/// edge cases and English/Arabic/Korean/Chinese sentences), repeated to make the batch large.
/// </summary>
internal static class TokenizerBenchmark
{
    public static int Run(string[] args)
    {
        int repeats = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 40;
        var corpus = File.ReadLines(SharedFolders.Require(Path.Combine(SharedFolders.Reference, "tokenizers", "corpus.jsonl")))
            .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("text").GetString()!).ToList();
        var texts = Enumerable.Repeat(corpus, repeats).SelectMany(x => x).ToList();
        Console.WriteLine($"{texts.Count} texts ({corpus.Count} corpus lines × {repeats}); {Environment.ProcessorCount} logical CPU(s)");
        foreach (var name in new[] { "tiny-convbert", "tiny-deberta", "tiny-deberta-v3" })
        {
            var load = Stopwatch.StartNew();
            var tokenizer = TransformerTokenizer.FromPretrained(SharedFolders.Require(Path.Combine(SharedFolders.Reference, "checkpoints", name)));
            load.Stop();
            tokenizer.EncodeBatch(corpus); // warm-up (JIT)
            var best = double.MaxValue;
            long tokens = 0;
            for (int i = 0; i < 3; i++)
            {
                var watch = Stopwatch.StartNew();
                var encoded = tokenizer.EncodeBatch(texts);
                best = Math.Min(best, watch.Elapsed.TotalSeconds);
                tokens = encoded.Sum(e => (long)e.Length);
            }
            Console.WriteLine($"{name,-16} {tokens / best,12:N0} tokens/s  ({texts.Count / best,9:N0} texts/s, {tokens:N0} tokens; tokenizer load {load.Elapsed.TotalMilliseconds:F0} ms)");
        }
        return 0;
    }
}
