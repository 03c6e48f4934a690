using System.Text.Json.Nodes;
using Microsoft.ML.ConvDeberta.MLNet;
using Microsoft.ML.ConvDeberta.Models;
using Microsoft.ML.Data;
using static TorchSharp.torch;

namespace Microsoft.ML.ConvDeberta.Tests.MLNet;

/// <summary>
/// <see cref="PretrainedTextTransformer.SaveAsCheckpoint"/> writes a Hugging Face folder: it reloads with the same
/// scores, says which head and labels it has, and is a checkpoint for further fine-tuning (same label count: the head
/// is kept; another label count: the head is replaced and the log says so).
/// </summary>
[TestClass]
public class CheckpointExportTests
{
    public static IEnumerable<object[]> Families => [["ConvBert", "tiny-convbert"], ["Deberta", "tiny-deberta"], ["DebertaV2", "tiny-deberta-v3"]];

    [TestMethod, DynamicData(nameof(Families))]
    public void ExportedCheckpointIsAHuggingFaceFolderThatScoresIdentically(string method, string checkpoint)
    {
        var ml = new MLContext(seed: 1);
        var rows = TextData.Snips("train.tsv").Take(40).ToList();
        var data = ml.Data.LoadFromEnumerable(rows);
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label").Fit(data);
        var keyed = pipeline.Transform(data);
        using var model = Multiclass(ml, method, TextData.Checkpoint(checkpoint)).Fit(keyed);
        using var folder = new Checkpoints.TempFolder();

        model.SaveAsCheckpoint(folder.Path);

        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(folder.Path, "config.json")))!.AsObject();
        Assert.AreEqual($"{method}ForSequenceClassification", config["architectures"]![0]!.GetValue<string>());
        var id2label = config["id2label"]!.AsObject();
        CollectionAssert.AreEqual(model.ClassNames.ToArray(), Enumerable.Range(0, model.ClassNames.Count).Select(i => id2label[i.ToString()]!.GetValue<string>()).ToArray());
        Assert.IsTrue(File.Exists(Path.Combine(folder.Path, "model.safetensors")));
        Assert.IsTrue(File.Exists(Path.Combine(folder.Path, "tokenizer_config.json")));

        var (reloaded, report) = PretrainedModels.Load(folder.Path, TaskHead.SequenceClassification);
        Assert.IsEmpty(report.NewlyInitialized, "the exported folder must hold every weight of the model, head included: " + report);
        using var fromFolder = PretrainedTextTransformer.FromModel(model.Spec, reloaded, Microsoft.ML.ConvDeberta.Tokenization.TransformerTokenizer.FromPretrained(folder.Path), ScalarType.Float32);
        CollectionAssert.AreEqual(Scores(model, keyed), Scores(fromFolder, keyed), "the exported checkpoint scores differently");
    }

    [TestMethod]
    public void ExportedCheckpointFineTunesAgainKeepingOrReplacingTheHead()
    {
        var ml = new MLContext(seed: 1);
        var rows = TextData.Snips("train.tsv").Take(40).ToList();
        var keyed = ml.Transforms.Conversion.MapValueToKey("Label").Fit(ml.Data.LoadFromEnumerable(rows)).Transform(ml.Data.LoadFromEnumerable(rows));
        using var model = Multiclass(ml, "DebertaV2", TextData.Checkpoint("tiny-deberta-v3")).Fit(keyed);
        using var folder = new Checkpoints.TempFolder();
        model.SaveAsCheckpoint(folder.Path);
        int classes = model.ClassNames.Count;

        // Same number of labels: the fine-tuned head is the starting point, nothing is re-initialised.
        var log = new List<string>();
        ml.Log += (_, e) => { lock (log) log.Add(e.Message); };
        using (var again = Multiclass(ml, "DebertaV2", folder.Path).Fit(keyed))
            Assert.AreEqual(classes, again.ClassNames.Count);
        var loaded = log.Single(m => m.Contains("newly initialised", StringComparison.Ordinal));
        StringAssert.Contains(loaded, "0 newly initialised");

        // Another task (binary): the classifier of the wrong shape is replaced, and the log names both shapes.
        log.Clear();
        var binary = ml.Data.LoadFromEnumerable(TextData.UciSentiment().Take(32));
        using (var other = ml.BinaryClassification.Trainers.DebertaV2(folder.Path, sentence1ColumnName: "Text", batchSize: 16, maxEpochs: 1).Fit(binary))
            Assert.AreEqual(32, other.Transform(binary).GetColumn<float>("Probability").Count());
        var replaced = log.Single(m => m.Contains("newly initialised", StringComparison.Ordinal));
        StringAssert.Contains(replaced, $"classifier.weight: checkpoint [{classes}, 32], model [2, 32]");
    }

    [TestMethod]
    public void ABFloat16CheckpointIsSavedBackInBFloat16NotDoubledInSize()
    {
        // A bf16 copy of the tiny DeBERTa-v3 checkpoint; fine-tuning computes in float32.
        using var source = new Checkpoints.TempFolder();
        var original = TextData.Checkpoint("tiny-deberta-v3");
        foreach (var file in Directory.GetFiles(original).Where(f => !f.EndsWith(".safetensors", StringComparison.Ordinal) && !f.EndsWith(".bin", StringComparison.Ordinal)))
            File.Copy(file, Path.Combine(source.Path, Path.GetFileName(file)));
        var weights = Microsoft.ML.ConvDeberta.Checkpoints.CheckpointFiles.LoadStateDict(original);
        var bf16 = weights.ToDictionary(kv => kv.Key, kv => kv.Value.is_floating_point() ? kv.Value.to(ScalarType.BFloat16) : kv.Value);
        Microsoft.ML.ConvDeberta.Checkpoints.SafeTensors.SafeTensorsWriter.Save(Path.Combine(source.Path, "model.safetensors"), bf16);
        long sourceBytes = new FileInfo(Path.Combine(source.Path, "model.safetensors")).Length;

        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(TextData.UciSentiment().Take(16));
        using var model = ml.BinaryClassification.Trainers.DebertaV2(source.Path, sentence1ColumnName: "Text", batchSize: 8, maxEpochs: 1).Fit(data);
        using var exported = new Checkpoints.TempFolder();
        model.SaveAsCheckpoint(exported.Path);

        var saved = Microsoft.ML.ConvDeberta.Checkpoints.CheckpointFiles.LoadStateDict(exported.Path);
        var floating = saved.Values.Where(t => t.is_floating_point()).ToList();
        Assert.IsTrue(floating.All(t => t.dtype == ScalarType.BFloat16), "every floating-point weight must be stored as bf16 again");
        long savedBytes = new FileInfo(Path.Combine(exported.Path, "model.safetensors")).Length;
        Assert.IsLessThan(sourceBytes * 1.05, (double)savedBytes, $"saved {savedBytes} bytes from a {sourceBytes}-byte bf16 checkpoint (plus a small classifier head)");
        foreach (var t in weights.Values.Concat(bf16.Values).Concat(saved.Values)) t.Dispose();
    }

    [TestMethod]
    public void ExportingADisposedModelThrows()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(TextData.UciSentiment().Take(16));
        var model = ml.BinaryClassification.Trainers.ConvBert(TextData.Checkpoint("tiny-convbert"), sentence1ColumnName: "Text", batchSize: 16, maxEpochs: 1).Fit(data);
        model.Dispose();
        using var folder = new Checkpoints.TempFolder();
        Assert.ThrowsExactly<ObjectDisposedException>(() => model.SaveAsCheckpoint(folder.Path));
    }

    private static PretrainedTextTrainer Multiclass(MLContext ml, string method, string checkpoint)
    {
        var trainers = ml.MulticlassClassification.Trainers;
        return method switch
        {
            "ConvBert" => trainers.ConvBert(checkpoint, sentence1ColumnName: "Text", batchSize: 16, maxEpochs: 1),
            "Deberta" => trainers.Deberta(checkpoint, sentence1ColumnName: "Text", batchSize: 16, maxEpochs: 1),
            _ => trainers.DebertaV2(checkpoint, sentence1ColumnName: "Text", batchSize: 16, maxEpochs: 1),
        };
    }

    private static float[] Scores(ITransformer model, IDataView data) =>
        model.Transform(data).GetColumn<float[]>("Score").SelectMany(s => s).ToArray();
}
