using Microsoft.ML.Data;
using Microsoft.ML.ConvDeberta.MLNet;
using TorchSharp;

namespace Microsoft.ML.ConvDeberta.Tests.MLNet;

/// <summary>
/// Long-running services call <c>Transform</c> and <c>Predict</c> over and over: every tensor a call creates must be
/// disposed by the time it returns (not left to the finalizer), and disposing the transformer releases its weights.
/// Measured with TorchSharp's process-wide count of live tensors, which only the finalizer could lower otherwise.
/// </summary>
[TestClass]
public class NativeMemoryTests
{
    private static readonly string[] Texts = ["good", "bad and slow", "", "the best phone I have ever owned, really", "meh"];

    [TestMethod]
    [DataRow("tiny-convbert"), DataRow("tiny-deberta"), DataRow("tiny-deberta-v3")]
    public void RepeatedScoringLeavesNoLiveTensorsAndDisposeFreesTheWeights(string checkpoint)
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(TextData.UciSentiment().Take(16));
        var trainer = TextData.BinaryTrainer(ml, checkpoint, new PretrainedTextTrainerOptions { Sentence1ColumnName = "Text", BatchSize = 8, MaxEpochs = 1 });
        var model = trainer.Fit(data);
        var input = ml.Data.LoadFromEnumerable(Texts.Select(t => new TextData.Sentiment { Text = t }));
        var engine = ml.Model.CreatePredictionEngine<TextData.Sentiment, BinaryPrediction>(model);

        float[] Score() => model.Transform(input).GetColumn<float>("Score").ToArray();
        var first = Score();
        engine.Predict(new TextData.Sentiment { Text = Texts[0] });
        long live = torch.Tensor.TotalCount;
        for (int i = 0; i < 20; i++)
        {
            CollectionAssert.AreEqual(first, Score(), "repeated Transform calls must give the same scores");
            engine.Predict(new TextData.Sentiment { Text = Texts[i % Texts.Length] });
        }
        // Finalizers of other tests' tensors may lower the count meanwhile, never raise it.
        Assert.IsLessThanOrEqualTo(live, torch.Tensor.TotalCount, "20 rounds of Transform + Predict left tensors alive for the finalizer to free");

        int parameters = model.Scorer.Model.parameters().Count();
        long beforeDispose = torch.Tensor.TotalCount;
        engine.Dispose();
        model.Dispose();
        Assert.IsGreaterThan(0, parameters);
        Assert.IsLessThanOrEqualTo(beforeDispose - parameters, torch.Tensor.TotalCount, $"disposing the transformer must free its {parameters} parameter tensors");
    }

    public sealed class BinaryPrediction
    {
        public bool PredictedLabel { get; set; }
        public float Score { get; set; }
        public float Probability { get; set; }
    }
}
