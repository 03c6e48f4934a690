using Microsoft.ML.ConvDeberta.Checkpoints;
using Microsoft.ML.ConvDeberta.Models;
using Microsoft.ML.ConvDeberta.Tests.Infrastructure;

namespace Microsoft.ML.ConvDeberta.Tests.Checkpoints;

[TestClass]
public class UntrainedWeightsTests
{
    [TestMethod]
    public void CreatesLoadableDeterministicWeightsOnceForAShippedSampleConfig()
    {
        var sample = Path.Combine(SharedData.RepoRoot, "samples", "models", "tiny-deberta-v3", "config.json");
        var folder = Directory.CreateTempSubdirectory("untrained-").FullName;
        var other = Directory.CreateTempSubdirectory("untrained-").FullName;
        try
        {
            File.Copy(sample, Path.Combine(folder, "config.json"));
            File.Copy(sample, Path.Combine(other, "config.json"));
            Assert.IsTrue(UntrainedWeights.EnsureCreated(folder, seed: 3));
            Assert.IsFalse(UntrainedWeights.EnsureCreated(folder, seed: 3), "existing weights must be kept");
            Assert.IsTrue(UntrainedWeights.EnsureCreated(other, seed: 3));
            CollectionAssert.AreEqual(File.ReadAllBytes(Path.Combine(folder, "model.safetensors")), File.ReadAllBytes(Path.Combine(other, "model.safetensors")),
                "the same seed must give the same weights");
            Assert.IsFalse(File.Exists(Path.Combine(folder, "model.safetensors.incomplete")));

            var (model, report) = PretrainedModels.Load(folder, TaskHead.SequenceClassification);
            using (model)
            {
                Assert.IsTrue(report.NewlyInitialized.Count > 0, "the classification head is new");
                Assert.IsFalse(report.NewlyInitialized.Any(k => k.StartsWith("deberta.", StringComparison.Ordinal)), "every encoder weight was written");
            }
        }
        finally
        {
            Directory.Delete(folder, true);
            Directory.Delete(other, true);
        }
    }

    [TestMethod]
    public void MissingFolderIsAClearError()
    {
        var e = Assert.ThrowsExactly<DirectoryNotFoundException>(() => UntrainedWeights.EnsureCreated("/nonexistent/checkpoint"));
        StringAssert.Contains(e.Message, "/nonexistent/checkpoint");
    }
}
