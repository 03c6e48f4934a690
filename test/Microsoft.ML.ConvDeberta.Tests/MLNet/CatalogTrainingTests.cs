using Microsoft.ML.ConvDeberta.MLNet;
using Microsoft.ML.Data;

namespace Microsoft.ML.ConvDeberta.Tests.MLNet;

/// <summary>Every family × every catalog trains end to end on a few rows, and ML.NET's evaluators accept the outputs.</summary>
[TestClass]
public class CatalogTrainingTests
{
    public static IEnumerable<object[]> Families => [["ConvBert", "tiny-convbert"], ["Deberta", "tiny-deberta"], ["DebertaV2", "tiny-deberta-v3"]];

    [TestMethod, DynamicData(nameof(Families))]
    public void BinaryClassificationTrainsAndEvaluates(string method, string checkpoint)
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(TextData.UciSentiment().Take(48));
        var options = new PretrainedTextTrainerOptions { Checkpoint = TextData.Checkpoint(checkpoint), Sentence1ColumnName = "Text", BatchSize = 16, MaxEpochs = 1, LearningRate = 1e-3 };
        var trainers = ml.BinaryClassification.Trainers;
        var trainer = method switch { "ConvBert" => trainers.ConvBert(options), "Deberta" => trainers.Deberta(options), _ => trainers.DebertaV2(options) };
        using var model = trainer.Fit(data);
        var scored = model.Transform(data);
        Assert.AreEqual(NumberDataViewType.Single, scored.Schema["Score"].Type);
        Assert.AreEqual(NumberDataViewType.Single, scored.Schema["Probability"].Type);
        Assert.AreEqual(BooleanDataViewType.Instance, scored.Schema["PredictedLabel"].Type);
        var metrics = ml.BinaryClassification.Evaluate(scored);
        Assert.IsTrue(metrics.Accuracy is >= 0 and <= 1);
        var probabilities = scored.GetColumn<float>("Probability").ToArray();
        Assert.AreEqual(48, probabilities.Length);
        Assert.IsTrue(probabilities.All(p => p is > 0 and < 1), "probabilities must lie in (0, 1)");
    }

    [TestMethod, DynamicData(nameof(Families))]
    public void MulticlassClassificationTrainsEvaluatesAndMapsKeysBack(string method, string checkpoint)
    {
        var ml = new MLContext(seed: 1);
        var rows = TextData.Snips("train.tsv").Take(56).ToList();
        var data = ml.Data.LoadFromEnumerable(rows);
        var dir = TextData.Checkpoint(checkpoint);
        var trainers = ml.MulticlassClassification.Trainers;
        IEstimator<ITransformer> trainer = method switch
        {
            "ConvBert" => trainers.ConvBert(checkpoint: dir, sentence1ColumnName: "Text", batchSize: 16, maxEpochs: 1),
            "Deberta" => trainers.Deberta(checkpoint: dir, sentence1ColumnName: "Text", batchSize: 16, maxEpochs: 1),
            _ => trainers.DebertaV2(checkpoint: dir, sentence1ColumnName: "Text", batchSize: 16, maxEpochs: 1),
        };
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label").Append(trainer).Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"));
        using var model = pipeline.Fit(data);
        var scored = model.Transform(data);
        var classes = rows.Select(r => r.Label).Distinct().Count();
        Assert.AreEqual(classes, ((VectorDataViewType)scored.Schema["Score"].Type).Size);
        VBuffer<ReadOnlyMemory<char>> slotNames = default;
        scored.Schema["Score"].GetSlotNames(ref slotNames);
        CollectionAssert.AreEquivalent(rows.Select(r => r.Label).Distinct().ToArray(), slotNames.DenseValues().Select(v => v.ToString()).ToArray());
        var predicted = scored.GetColumn<string>("PredictedLabel").ToArray();
        Assert.IsTrue(predicted.All(p => rows.Any(r => r.Label == p)), "MapKeyToValue must give back the original class names");
        var metrics = ml.MulticlassClassification.Evaluate(model.Transform(data), predictedLabelColumnName: "PredictedLabel");
        Assert.IsTrue(metrics.MicroAccuracy is >= 0 and <= 1);
    }

    [TestMethod, DynamicData(nameof(Families))]
    public void RegressionTrainsOnSentencePairsAndEvaluates(string method, string checkpoint)
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(TextData.Stsb("train.tsv").Take(48));
        var dir = TextData.Checkpoint(checkpoint);
        var trainers = ml.Regression.Trainers;
        var trainer = method switch
        {
            "ConvBert" => trainers.ConvBert(dir, sentence2ColumnName: "Sentence2", batchSize: 16, maxEpochs: 1),
            "Deberta" => trainers.Deberta(dir, sentence2ColumnName: "Sentence2", batchSize: 16, maxEpochs: 1),
            _ => trainers.DebertaV2(dir, sentence2ColumnName: "Sentence2", batchSize: 16, maxEpochs: 1),
        };
        using var model = trainer.Fit(data);
        var scored = model.Transform(data);
        Assert.AreEqual(NumberDataViewType.Single, scored.Schema["Score"].Type);
        var metrics = ml.Regression.Evaluate(scored);
        Assert.IsTrue(double.IsFinite(metrics.RootMeanSquaredError));
    }
}
