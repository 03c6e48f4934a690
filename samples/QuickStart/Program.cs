// Quick start: fine-tune a DeBERTa-v3-style model on SNIPS intents (shipped, CC0), evaluate it, save it, reload it,
// and predict. Runs offline on CPU in a few minutes.
//   dotnet run --project samples/QuickStart -c Release                      (tiny untrained model shipped here)
//   dotnet run --project samples/QuickStart -c Release -- microsoft/deberta-v3-small   (a pretrained Hub checkpoint)
using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.ConvDeberta.Checkpoints;
using Microsoft.ML.ConvDeberta.MLNet;
using Microsoft.ML.ConvDeberta.Training;
using Microsoft.ML.Data;

var baseDirectory = AppContext.BaseDirectory;
var shippedModel = Path.Combine(baseDirectory, "models", "tiny-deberta-v3");
string checkpoint = args.Length > 0 ? args[0] : shippedModel;
bool fromScratch = checkpoint == shippedModel;
if (fromScratch && UntrainedWeights.EnsureCreated(shippedModel, seed: 1))
    Console.WriteLine($"Created untrained weights for {shippedModel} (random initialisation, nothing pretrained).");

var mlContext = new MLContext(seed: 1);
var trainPath = Path.Combine(baseDirectory, "data", "snips_intents_train.tsv");
var train = mlContext.Data.LoadFromTextFile<Utterance>(trainPath, hasHeader: true, separatorChar: '\t');
var test = mlContext.Data.LoadFromTextFile<Utterance>(Path.Combine(baseDirectory, "data", "snips_intents_test.tsv"), hasHeader: true, separatorChar: '\t');

var options = new PretrainedTextTrainerOptions
{
    Checkpoint = checkpoint,
    Sentence1ColumnName = nameof(Utterance.Text),
    // A model trained from scratch needs a far larger step than fine-tuning a pretrained one.
    LearningRate = fromScratch ? 1e-3 : 3e-5,
    MaxEpochs = fromScratch ? 4 : 3,
    BatchSize = 32,
    MaxSequenceLength = 64,
    Progress = new Progress<TrainingProgress>(p => Console.WriteLine("  " + p)),
    ReportInterval = TimeSpan.FromSeconds(15),
};
var pipeline = mlContext.Transforms.Conversion.MapValueToKey("Label", nameof(Utterance.Intent))
    .Append(mlContext.MulticlassClassification.Trainers.DebertaV2(options))
    .Append(mlContext.Transforms.Conversion.MapKeyToValue("PredictedLabel"));

Console.WriteLine($"Fine-tuning {checkpoint} on {File.ReadLines(trainPath).Count() - 1} SNIPS utterances…");
var clock = Stopwatch.StartNew();
var model = pipeline.Fit(train);
Console.WriteLine($"Trained in {clock.Elapsed:mm\\:ss}.");

var metrics = mlContext.MulticlassClassification.Evaluate(model.Transform(test));
var majority = mlContext.Data.CreateEnumerable<Utterance>(test, reuseRowObject: false).GroupBy(u => u.Intent).Max(g => g.Count())
               / (double)mlContext.Data.CreateEnumerable<Utterance>(test, reuseRowObject: false).Count();
Console.WriteLine($"Test accuracy (micro) {metrics.MicroAccuracy:P1}, macro {metrics.MacroAccuracy:P1}, log-loss {metrics.LogLoss:F3}; majority-class baseline {majority:P1}.");

var path = Path.Combine(baseDirectory, "quickstart-model.zip");
mlContext.Model.Save(model, train.Schema, path);
Console.WriteLine($"Saved to {path} ({new FileInfo(path).Length / 1024} KiB).");

var reloaded = new MLContext().Model.Load(path, out _);
using var engine = mlContext.Model.CreatePredictionEngine<Utterance, IntentPrediction>(reloaded);
foreach (var text in new[] { "will it rain in paris tomorrow", "play some jazz by miles davis", "book a table for four at an italian place tonight", "rate this novel five stars" })
    Console.WriteLine($"  \"{text}\" → {engine.Predict(new Utterance { Text = text }).PredictedLabel}");
(model as IDisposable)?.Dispose();
(reloaded as IDisposable)?.Dispose();

/// <summary>One SNIPS row.</summary>
public sealed class Utterance
{
    [LoadColumn(0)] public string Text { get; set; } = "";
    [LoadColumn(1)] public string Intent { get; set; } = "";
}

/// <summary>The pipeline's prediction.</summary>
public sealed class IntentPrediction
{
    public string PredictedLabel { get; set; } = "";
}
