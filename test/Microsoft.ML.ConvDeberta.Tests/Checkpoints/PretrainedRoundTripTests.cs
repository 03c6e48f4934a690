using System.Text.Json;
using Microsoft.ML.ConvDeberta.Checkpoints;
using Microsoft.ML.ConvDeberta.Checkpoints.PyTorch;
using Microsoft.ML.ConvDeberta.Checkpoints.SafeTensors;
using Microsoft.ML.ConvDeberta.Models;
using Microsoft.ML.ConvDeberta.Tests.Infrastructure;
using static TorchSharp.torch;

namespace Microsoft.ML.ConvDeberta.Tests.Checkpoints;

/// <summary>
/// Real families end to end, for every reference case: the model built from pytorch_model.bin equals the one built
/// from model.safetensors, and <see cref="CheckpointWriter"/> writes back the reference model.safetensors byte for
/// byte (tied duplicates omitted exactly as save_pretrained omits them), which then loads to the same model.
/// </summary>
[TestClass]
public class PretrainedRoundTripTests
{
    public static IEnumerable<object[]> Cases() => ReferenceCases.All();

    private static TaskModel Build(string folder, string modelClass, Dictionary<string, Tensor> weights, out LoadReport report)
    {
        var config = ModelConfigs.Load(folder);
        var (family, head) = ModelFamilies.ForClassName(modelClass);
        TaskModel model;
        try { model = family.Create(config, head); }
        catch (NotSupportedException e)
        {
            StateDictAssert.Dispose(weights);
            Assert.Inconclusive($"{modelClass} is not implemented yet by its family: {e.Message}");
            throw;
        }
        try { report = WeightLoader.Load(model, weights, folder); }
        finally { StateDictAssert.Dispose(weights); }
        return model;
    }

    private static Dictionary<string, Tensor> Detached(TaskModel model) =>
        model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach());

    [TestMethod]
    [DynamicData(nameof(Cases))]
    public void BinAndSafeTensorsBuildTheSameModelAndSaveReproducesTheReferenceFile(string caseName)
    {
        var folder = SharedData.Reference("models", caseName);
        var modelClass = new ReferenceCaseInfo(folder).ModelClass;
        var weights = ReferenceCases.Weights(folder);
        var omitted = weights.GetProperty("omitted_from_safetensors").EnumerateArray().Select(e => e.GetString()!).Order(StringComparer.Ordinal).ToArray();

        using var fromSafeTensors = Build(folder, modelClass, SafeTensorsReader.Load(Path.Combine(folder, "model.safetensors")), out var stReport);
        using var fromBin = Build(folder, modelClass, PyTorchCheckpointReader.Load(Path.Combine(folder, "pytorch_model.bin")), out var binReport);
        CollectionAssert.AreEqual(omitted, stReport.Retied.Order(StringComparer.Ordinal).ToArray(), $"{caseName}: re-tied keys");
        Assert.AreEqual(0, stReport.NewlyInitialized.Count + stReport.Unexpected.Count, $"{caseName}: {stReport}");
        Assert.AreEqual(ScalarType.Float32, stReport.StorageDType, $"{caseName}: the reference stores float32");
        Assert.AreEqual(0, binReport.NewlyInitialized.Count + binReport.Unexpected.Count + binReport.Retied.Count, $"{caseName}: {binReport}");
        StateDictAssert.Identical(Detached(fromSafeTensors), Detached(fromBin), $"{caseName}: bin vs safetensors model");

        using var temp = new TempFolder();
        CheckpointWriter.Save(temp.Path, fromSafeTensors, ModelConfigs.Load(folder));
        CollectionAssert.AreEqual(File.ReadAllBytes(Path.Combine(folder, "model.safetensors")), File.ReadAllBytes(Path.Combine(temp.Path, "model.safetensors")),
            $"{caseName}: saved model.safetensors differs from the reference save_pretrained output");

        var (reloaded, report) = PretrainedModels.Load(temp.Path, fromSafeTensors.Head);
        using (reloaded)
        {
            Assert.AreEqual(0, report.NewlyInitialized.Count + report.Unexpected.Count, $"{caseName}: {report}");
            StateDictAssert.Identical(Detached(fromSafeTensors), Detached(reloaded), $"{caseName}: reloaded");
            AssertConfigKeysKept(Path.Combine(folder, "config.json"), Path.Combine(temp.Path, "config.json"), caseName);
        }
    }

    /// <summary>Every key of the original config.json comes back with the same value (numbers compared as numbers).</summary>
    private static void AssertConfigKeysKept(string originalPath, string savedPath, string caseName)
    {
        using var original = JsonDocument.Parse(File.ReadAllText(originalPath));
        using var saved = JsonDocument.Parse(File.ReadAllText(savedPath));
        foreach (var property in original.RootElement.EnumerateObject())
        {
            Assert.IsTrue(saved.RootElement.TryGetProperty(property.Name, out var value), $"{caseName}: saved config.json lacks '{property.Name}'");
            // transformers' DebertaConfig turns "c2p|p2c" into ["c2p", "p2c"], so save_pretrained writes the list form.
            var expected = property.Name == "pos_att_type" && property.Value.ValueKind == JsonValueKind.String
                ? JsonSerializer.SerializeToElement(property.Value.GetString()!.ToLowerInvariant().Split('|').Select(x => x.Trim()))
                : property.Value;
            Assert.IsTrue(SameJson(expected, value), $"{caseName}: config.json '{property.Name}' was {property.Value.GetRawText()}, saved {value.GetRawText()}");
        }
    }

    private static bool SameJson(JsonElement a, JsonElement b) => (a.ValueKind, b.ValueKind) switch
    {
        (JsonValueKind.Number, JsonValueKind.Number) => a.GetDouble() == b.GetDouble(),
        (JsonValueKind.Object, JsonValueKind.Object) =>
            a.EnumerateObject().Count() == b.EnumerateObject().Count()
            && a.EnumerateObject().All(p => b.TryGetProperty(p.Name, out var v) && SameJson(p.Value, v)),
        (JsonValueKind.Array, JsonValueKind.Array) =>
            a.GetArrayLength() == b.GetArrayLength() && a.EnumerateArray().Zip(b.EnumerateArray()).All(p => SameJson(p.First, p.Second)),
        _ => a.ValueKind == b.ValueKind && a.GetRawText() == b.GetRawText(),
    };

    /// <summary>expected.json's model_class without loading the case's tensors.</summary>
    private sealed class ReferenceCaseInfo(string folder)
    {
        public string ModelClass { get; } = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "expected.json")))
            .RootElement.GetProperty("model_class").GetString()!;
    }
}
