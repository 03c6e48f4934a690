using Microsoft.ML.ConvDeberta.MLNet;
using Microsoft.ML.Data;

namespace Microsoft.ML.ConvDeberta.Tests.MLNet;

/// <summary>Bad input fails early with a message that names the column, row or file and the fix.</summary>
[TestClass]
public class BadInputTests
{
    private sealed class Floats { public float Text { get; set; } public bool Label { get; set; } }
    private sealed class Regression { public string Text { get; set; } = ""; public float Label { get; set; } }

    private static string V3 => TextData.Checkpoint("tiny-deberta-v3");

    [TestMethod]
    public void MissingTextColumnIsNamedAtFitAndInSchemaPropagation()
    {
        var ml = new MLContext();
        var data = ml.Data.LoadFromEnumerable(TextData.UciSentiment().Take(8));
        var trainer = ml.BinaryClassification.Trainers.DebertaV2(V3, sentence1ColumnName: "Review");
        var fit = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => trainer.Fit(data));
        StringAssert.Contains(fit.Message, "Could not find input column 'Review'");
        var shape = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => trainer.GetOutputSchema(Microsoft.ML.ConvDeberta.MLNet.Interop.MLNetInternals.Shape(data.Schema)));
        StringAssert.Contains(shape.Message, "'Review'");
    }

    [TestMethod]
    public void MistypedColumnsAreNamed()
    {
        var ml = new MLContext();
        var floats = ml.Data.LoadFromEnumerable(new[] { new Floats { Text = 1, Label = true }, new Floats { Text = 2 } });
        var error = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.BinaryClassification.Trainers.ConvBert(TextData.Checkpoint("tiny-convbert"), sentence1ColumnName: "Text").Fit(floats));
        StringAssert.Contains(error.Message, "Schema mismatch for input column 'Text': expected String");
        var strings = ml.Data.LoadFromEnumerable(TextData.Snips("test.tsv").Take(4));
        var label = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ml.MulticlassClassification.Trainers.DebertaV2(V3, sentence1ColumnName: "Text").Fit(strings));
        StringAssert.Contains(label.Message, "'Label'");
        StringAssert.Contains(label.Message, "MapValueToKey");
    }

    [TestMethod]
    public void TransformAndGetOutputSchemaNameAMissingColumn()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(TextData.UciSentiment().Take(16));
        using var model = ml.BinaryClassification.Trainers.DebertaV2(V3, sentence1ColumnName: "Text", batchSize: 16, maxEpochs: 1).Fit(data);
        var other = ml.Data.LoadFromEnumerable(new[] { new Regression { Text = "x" } });
        var renamed = ml.Transforms.CopyColumns("Body", "Text").Append(ml.Transforms.DropColumns("Text")).Fit(other).Transform(other);
        var error = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => model.GetOutputSchema(renamed.Schema));
        StringAssert.Contains(error.Message, "Could not find input column 'Text'");
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => model.Transform(renamed));
    }

    [TestMethod]
    public void MissingKeyLabelNamesTheRow()
    {
        var ml = new MLContext();
        var known = ml.Data.LoadFromEnumerable(new[] { new TextData.Intent { Text = "a", Label = "x" }, new TextData.Intent { Text = "b", Label = "y" } });
        var rows = ml.Data.LoadFromEnumerable(new[] { new TextData.Intent { Text = "a", Label = "x" }, new TextData.Intent { Text = "b", Label = "y" }, new TextData.Intent { Text = "c", Label = "unseen" } });
        var keyed = ml.Transforms.Conversion.MapValueToKey("Label").Fit(known).Transform(rows);   // "unseen" → key 0 (missing)
        var error = Assert.ThrowsExactly<InvalidOperationException>(() => ml.MulticlassClassification.Trainers.DebertaV2(V3, sentence1ColumnName: "Text").Fit(keyed));
        StringAssert.Contains(error.Message, "Row 2");
        StringAssert.Contains(error.Message, "missing label");
    }

    [TestMethod]
    public void NaNRegressionLabelNamesTheRow()
    {
        var ml = new MLContext();
        var rows = new[] { new Regression { Text = "a", Label = 1 }, new Regression { Text = "b", Label = float.NaN } };
        var error = Assert.ThrowsExactly<InvalidOperationException>(() => ml.Regression.Trainers.Deberta(TextData.Checkpoint("tiny-deberta"), sentence1ColumnName: "Text").Fit(ml.Data.LoadFromEnumerable(rows)));
        StringAssert.Contains(error.Message, "Row 1");
        StringAssert.Contains(error.Message, "NaN");
    }

    [TestMethod]
    public void ValidationLabelOutsideTheTrainingKeysIsAnError()
    {
        var ml = new MLContext();
        var train = ml.Data.LoadFromEnumerable(new[] { new TextData.Intent { Text = "a", Label = "x" }, new TextData.Intent { Text = "b", Label = "y" } });
        var validation = ml.Data.LoadFromEnumerable(new[] { new TextData.Intent { Text = "c", Label = "x" }, new TextData.Intent { Text = "d", Label = "y" }, new TextData.Intent { Text = "e", Label = "z" } });
        var trainKeys = ml.Transforms.Conversion.MapValueToKey("Label").Fit(train).Transform(train);
        var validationKeys = ml.Transforms.Conversion.MapValueToKey("Label").Fit(validation).Transform(validation);   // 3 keys: one the model lacks
        var trainer = ml.MulticlassClassification.Trainers.DebertaV2(V3, sentence1ColumnName: "Text", validationSet: validationKeys);
        var error = Assert.ThrowsExactly<InvalidOperationException>(() => trainer.Fit(trainKeys));
        StringAssert.Contains(error.Message, "outside the 2 classes");
    }

    [TestMethod]
    public void FewerThanTwoClassesIsAnError()
    {
        var ml = new MLContext();
        var rows = TextData.UciSentiment().Where(r => r.Label).Take(6);
        var error = Assert.ThrowsExactly<InvalidOperationException>(() => ml.BinaryClassification.Trainers.ConvBert(TextData.Checkpoint("tiny-convbert"), sentence1ColumnName: "Text").Fit(ml.Data.LoadFromEnumerable(rows)));
        StringAssert.Contains(error.Message, "at least two classes");
    }

    [TestMethod]
    public void WrongArchitectureNamesTheRightTrainer()
    {
        var ml = new MLContext();
        var data = ml.Data.LoadFromEnumerable(TextData.UciSentiment().Take(8));
        var error = Assert.ThrowsExactly<InvalidOperationException>(() => ml.BinaryClassification.Trainers.DebertaV2(TextData.Checkpoint("tiny-convbert"), sentence1ColumnName: "Text").Fit(data));
        StringAssert.Contains(error.Message, "'convbert'");
        StringAssert.Contains(error.Message, "ConvBert");
    }

    [TestMethod]
    public void CheckpointFolderProblemsAreNamed()
    {
        var ml = new MLContext();
        var data = ml.Data.LoadFromEnumerable(TextData.UciSentiment().Take(8));
        var missing = Assert.ThrowsExactly<DirectoryNotFoundException>(() => ml.BinaryClassification.Trainers.DebertaV2("/no/such/folder", sentence1ColumnName: "Text").Fit(data));
        StringAssert.Contains(missing.Message, "/no/such/folder");
        var empty = Directory.CreateTempSubdirectory("convdeberta-empty-");
        try
        {
            var noConfig = Assert.ThrowsExactly<FileNotFoundException>(() => ml.BinaryClassification.Trainers.DebertaV2(empty.FullName, sentence1ColumnName: "Text").Fit(data));
            StringAssert.Contains(noConfig.Message, "config.json");
            File.Copy(Path.Combine(TextData.Checkpoint("tiny-deberta-v3"), "config.json"), Path.Combine(empty.FullName, "config.json"));
            foreach (var file in Directory.GetFiles(TextData.Checkpoint("tiny-deberta-v3")).Where(f => !f.EndsWith(".safetensors", StringComparison.Ordinal)))
                File.Copy(file, Path.Combine(empty.FullName, Path.GetFileName(file)), overwrite: true);
            var noWeights = Assert.ThrowsExactly<FileNotFoundException>(() => ml.BinaryClassification.Trainers.DebertaV2(empty.FullName, sentence1ColumnName: "Text").Fit(data));
            StringAssert.Contains(noWeights.Message, "model.safetensors");
        }
        finally
        {
            empty.Delete(recursive: true);
        }
    }

    [TestMethod]
    public void EmptyTextIsScoredAsTheSpecialTokensAlone()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(TextData.UciSentiment().Take(16));
        using var model = ml.BinaryClassification.Trainers.DebertaV2(V3, sentence1ColumnName: "Text", batchSize: 16, maxEpochs: 1).Fit(data);
        var probe = ml.Data.LoadFromEnumerable(new[] { new TextData.Sentiment { Text = "" }, new TextData.Sentiment { Text = "fine" } });
        var scores = model.Transform(probe).GetColumn<float>("Score").ToArray();
        Assert.AreEqual(2, scores.Length);
        Assert.IsTrue(scores.All(float.IsFinite));
    }
}
