using System.Diagnostics;
using Microsoft.ML.ConvDeberta.Checkpoints;
using Microsoft.ML.ConvDeberta.MLNet;

namespace Microsoft.ML.ConvDeberta.Benchmarks;

/// <summary>
/// Fine-tuning throughput (non-padding tokens/s, from the trainer's own count) and batched scoring throughput
/// (rows/s in Transform) for each family's tiny checkpoint plus the samples' hidden-64 DeBERTa-v3 model, on UCI
/// sentiment sentences (batch 32, float32, CPU).
/// </summary>
internal static class TrainingBenchmark
{
    public static int Run(string[] args)
    {
        int rows = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 512;
        var data = UciSentence.Read(rows);
        Console.WriteLine($"{data.Count} rows, {Environment.ProcessorCount} logical CPU(s), torch threads {TorchSharp.torch.get_num_threads()}");

        var sample = Path.Combine(Path.GetTempPath(), "convdeberta-bench-sample-model");
        Directory.CreateDirectory(sample);
        foreach (var file in Directory.GetFiles(Path.Combine(SharedFolders.RepoRoot, "samples", "models", "tiny-deberta-v3")))
            File.Copy(file, Path.Combine(sample, Path.GetFileName(file)), overwrite: true);
        UntrainedWeights.EnsureCreated(sample);

        var models = new (string Name, string Folder, Func<MLContext, PretrainedTextTrainerOptions, PretrainedTextTrainer> Trainer)[]
        {
            ("ConvBERT tiny-convbert (h32)", Path.Combine(SharedFolders.Reference, "checkpoints", "tiny-convbert"), (ml, o) => ml.BinaryClassification.Trainers.ConvBert(o)),
            ("DeBERTa tiny-deberta (h32)", Path.Combine(SharedFolders.Reference, "checkpoints", "tiny-deberta"), (ml, o) => ml.BinaryClassification.Trainers.Deberta(o)),
            ("DeBERTa-v2 tiny-deberta-v3 (h32)", Path.Combine(SharedFolders.Reference, "checkpoints", "tiny-deberta-v3"), (ml, o) => ml.BinaryClassification.Trainers.DebertaV2(o)),
            ("DeBERTa-v2 sample model (h64)", sample, (ml, o) => ml.BinaryClassification.Trainers.DebertaV2(o)),
        };
        foreach (var (name, folder, makeTrainer) in models)
        {
            var ml = new MLContext(seed: 1);
            var view = ml.Data.LoadFromEnumerable(data);
            var trainer = makeTrainer(ml, new PretrainedTextTrainerOptions
            {
                Checkpoint = SharedFolders.Require(folder), Sentence1ColumnName = "Text", BatchSize = 32, MaxEpochs = 2, MaxSequenceLength = 128,
            });
            var fit = Stopwatch.StartNew();
            using var model = trainer.Fit(view);
            fit.Stop();
            model.Transform(view).Preview(8); // warm-up
            var score = Stopwatch.StartNew();
            int scored = ml.Data.CreateEnumerable<Scored>(model.Transform(view), reuseRowObject: true).Count();
            score.Stop();
            Console.WriteLine($"{name,-34} train {trainer.LastResult!.TokensPerSecond,8:N0} tokens/s (fit {fit.Elapsed.TotalSeconds:F1} s, 2 epochs)   score {scored / score.Elapsed.TotalSeconds,8:N0} rows/s");
        }
        return 0;
    }

    private sealed class Scored
    {
        public float Score { get; set; }
    }
}
