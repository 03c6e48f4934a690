using Microsoft.ML.Data;
using Microsoft.ML.ConvDeberta.MLNet;
using Microsoft.ML.ConvDeberta.Tests.Infrastructure;

namespace Microsoft.ML.ConvDeberta.Tests.MLNet;

/// <summary>
/// mlContext.Model.Save stores weights, config and tokenizer inside the zip; a FRESH process with no registration
/// call loads it with <c>new MLContext().Model.Load</c> and reproduces the scores bit for bit on CPU.
/// </summary>
[TestClass]
public class SaveLoadTests
{
    private static readonly string[] Probe =
    [
        "The food was wonderful and the staff were friendly.", "Terrible service, never again.", "", "ok",
        "I would not recommend this phone to anyone, the battery dies within hours.",
    ];

    [TestMethod, Timeout(600_000)]
    public void SavedModelLoadsInAFreshProcessWithIdenticalScores()
    {
        var ml = new MLContext(seed: 3);
        var data = ml.Data.LoadFromEnumerable(TextData.UciSentiment().Take(32));
        var estimator = ml.BinaryClassification.Trainers.DebertaV2(TextData.Checkpoint("tiny-deberta-v3"), sentence1ColumnName: "Text", batchSize: 16, maxEpochs: 1);
        using var model = estimator.Fit(data);
        var work = Directory.CreateDirectory(Path.Combine(SharedData.RepoRoot, "artifacts", "mlnet-fresh-process", Guid.NewGuid().ToString("N"))).FullName;
        try
        {
            var zip = Path.Combine(work, "model.zip");
            ml.Model.Save(model, data.Schema, zip);
            using (var archive = System.IO.Compression.ZipFile.OpenRead(zip))
            {
                var names = archive.Entries.Select(e => e.FullName).ToList();
                Assert.IsTrue(names.Any(n => n.EndsWith("model.safetensors", StringComparison.Ordinal)), "weights must be stored in the zip: " + string.Join(", ", names));
                Assert.IsTrue(names.Any(n => n.EndsWith("config.json", StringComparison.Ordinal)), "config.json must be stored in the zip");
                Assert.IsTrue(names.Any(n => n.EndsWith("spm.model", StringComparison.Ordinal)), "tokenizer files must be stored in the zip");
            }
            var expected = Scores(ml, model, Probe);

            // Same process, new MLContext.
            var loaded = new MLContext().Model.Load(zip, out _);
            CollectionAssert.AreEqual(expected, Scores(ml, loaded, Probe), "in-process reload changed the scores");
            (loaded as IDisposable)?.Dispose();

            // Fresh process: a file-based app that references only the library.
            var texts = Path.Combine(work, "texts.txt");
            File.WriteAllLines(texts, Probe);
            var output = Path.Combine(work, "scores.txt");
            var script = Path.Combine(work, "load_model.cs");
            File.WriteAllText(script, ChildApp);
            var run = ProcessRunner.Run("dotnet", $"run -c Release \"{script}\" -- \"{zip}\" \"{texts}\" \"{output}\"", work, TimeSpan.FromMinutes(8));
            run.AssertSuccess("the fresh-process loader");
            var fresh = File.ReadAllLines(output).Select(int.Parse).Select(BitConverter.Int32BitsToSingle).ToArray();
            CollectionAssert.AreEqual(expected, fresh, "the fresh process computed different scores");
        }
        finally
        {
            try { Directory.Delete(work, recursive: true); } catch (IOException) { }
        }
    }

    [TestMethod]
    public void PredictionEngineMatchesBatchedTransform()
    {
        var ml = new MLContext(seed: 3);
        var rows = TextData.UciSentiment().Take(32).ToList();
        var data = ml.Data.LoadFromEnumerable(rows);
        using var model = ml.BinaryClassification.Trainers.DebertaV2(TextData.Checkpoint("tiny-deberta-v3"), sentence1ColumnName: "Text", batchSize: 16, maxEpochs: 1).Fit(data);
        var batched = model.Transform(data).GetColumn<float>("Probability").ToArray();
        var engine = ml.Model.CreatePredictionEngine<TextData.Sentiment, BinaryOutput>(model);
        for (int i = 0; i < 8; i++)
        {
            var prediction = engine.Predict(rows[i]);
            // DeBERTa masks padding, so a row scores (almost) the same alone as in a padded batch.
            Assert.AreEqual(batched[i], prediction.Probability, 1e-4, $"row {i}");
            Assert.AreEqual(prediction.Score > 0, prediction.PredictedLabel);
        }
    }

    [TestMethod]
    public void RepeatedTransformsAndDisposeReleaseTheModel()
    {
        var ml = new MLContext(seed: 3);
        var data = ml.Data.LoadFromEnumerable(TextData.UciSentiment().Take(16));
        var model = ml.BinaryClassification.Trainers.DebertaV2(TextData.Checkpoint("tiny-deberta-v3"), sentence1ColumnName: "Text", batchSize: 16, maxEpochs: 1).Fit(data);
        float[]? first = null;
        for (int i = 0; i < 5; i++)
        {
            var scores = model.Transform(data).GetColumn<float>("Score").ToArray();
            first ??= scores;
            CollectionAssert.AreEqual(first, scores, "repeated Transform calls must give identical scores");
        }
        model.Dispose();
        Assert.ThrowsExactly<ObjectDisposedException>(() => model.Transform(data).GetColumn<float>("Score").ToArray());
    }

    private static float[] Scores(MLContext ml, ITransformer model, string[] texts) =>
        model.Transform(ml.Data.LoadFromEnumerable(texts.Select(t => new TextData.Sentiment { Text = t }))).GetColumn<float>("Score").ToArray();

    public sealed class BinaryOutput
    {
        public float Score { get; set; }
        public float Probability { get; set; }
        public bool PredictedLabel { get; set; }
    }

    private static string ChildApp => $$"""
        #:property PublishAot=false
        #:project {{Path.Combine(SharedData.RepoRoot, "src", "Microsoft.ML.ConvDeberta", "Microsoft.ML.ConvDeberta.csproj")}}
        #:package libtorch-cpu-linux-x64@2.10.0
        using Microsoft.ML;
        using Microsoft.ML.Data;
        var ml = new MLContext();
        var model = ml.Model.Load(args[0], out _);
        var rows = File.ReadAllLines(args[1]).Select(t => new Row { Text = t }).ToList();
        var scores = model.Transform(ml.Data.LoadFromEnumerable(rows)).GetColumn<float>("Score").ToArray();
        File.WriteAllLines(args[2], scores.Select(s => BitConverter.SingleToInt32Bits(s).ToString()));
        Console.WriteLine("CHILD-OK");
        public sealed class Row { public string Text { get; set; } = ""; }
        """;
}
