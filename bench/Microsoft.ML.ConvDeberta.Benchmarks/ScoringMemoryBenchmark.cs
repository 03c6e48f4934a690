using System.Diagnostics;
using Microsoft.ML.ConvDeberta.MLNet;

namespace Microsoft.ML.ConvDeberta.Benchmarks;

/// <summary>
/// A long-running service's view of native memory: process RSS and TorchSharp's live-tensor count while one fitted
/// model scores the same 512 rows (Transform) and 512 single rows (PredictionEngine) round after round. Flat
/// numbers after the first rounds mean nothing accumulates per call.
/// </summary>
internal static class ScoringMemoryBenchmark
{
    private sealed class Scored
    {
        public float Score { get; set; }
    }

    public static int Run(string[] args)
    {
        int rounds = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 50;
        var data = UciSentence.Read(512);
        var ml = new MLContext(seed: 1);
        var view = ml.Data.LoadFromEnumerable(data);
        var checkpoint = SharedFolders.Require(Path.Combine(SharedFolders.Reference, "checkpoints", "tiny-deberta-v3"));
        using var model = ml.BinaryClassification.Trainers.DebertaV2(checkpoint, sentence1ColumnName: "Text", batchSize: 32, maxEpochs: 1).Fit(view);
        using var engine = ml.Model.CreatePredictionEngine<UciSentence, Scored>(model);
        Console.WriteLine($"{rounds} rounds of Transform over {data.Count} rows + {data.Count} PredictionEngine calls (DeBERTa-v3 tiny, CPU)");
        Console.WriteLine("round   RSS MiB   live tensors   round s");
        for (int round = 1; round <= rounds; round++)
        {
            var watch = Stopwatch.StartNew();
            _ = ml.Data.CreateEnumerable<Scored>(model.Transform(view), reuseRowObject: true).Sum(s => s.Score);
            foreach (var row in data) engine.Predict(row);
            watch.Stop();
            if (round is 1 or 2 or 5 || round % 10 == 0 || round == rounds)
            {
                using var process = Process.GetCurrentProcess();
                Console.WriteLine($"{round,5} {process.WorkingSet64 / (1024.0 * 1024),9:F1} {TorchSharp.torch.Tensor.TotalCount,14} {watch.Elapsed.TotalSeconds,9:F2}");
            }
        }
        return 0;
    }
}
