using Microsoft.ML.ConvDeberta.Models;
using Microsoft.ML.ConvDeberta.Tests.Infrastructure;
using Microsoft.ML.ConvDeberta.Tests.Models;
using Microsoft.ML.ConvDeberta.Tokenization;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.ConvDeberta.Tests.Hub;

/// <summary>
/// A real snapshot served by the fake Hub, resolved into the cache and consumed from there by the tokenizer and the
/// model loader: the same ids and logits as the Python reference computed from the original folder.
/// </summary>
[TestClass]
public class HubEndToEndTests : HubTestBase
{
    [TestMethod]
    public async Task ConvBertSnapshotFromTheHub_TokenizesAndPredictsLikeTheReference()
    {
        var source = SharedData.Reference("checkpoints", "tiny-convbert-seqcls");
        var files = Directory.GetFiles(source).Where(p => !Path.GetFileName(p).StartsWith("expected", StringComparison.Ordinal))
            .ToDictionary(p => Path.GetFileName(p), File.ReadAllBytes);
        var repo = Server.Add(new FakeHubRepo("hf-internal-testing/tiny-convbert-seqcls", files));
        repo.CdnFiles.Add("model.safetensors");
        var folder = await ResolveAsync("hf-internal-testing/tiny-convbert-seqcls");

        using var scope = NewDisposeScope();
        using var reference = new ReferenceCase(source, "checkpoints/tiny-convbert-seqcls");
        var tokenizer = TransformerTokenizer.FromPretrained(folder);
        var texts = reference.Json.GetProperty("tokenizer").GetProperty("texts").EnumerateArray().Select(t => t.GetString()!).ToList();
        var batch = tokenizer.Pad(tokenizer.EncodeBatch(texts));
        CollectionAssert.AreEqual(reference.Tensors["input_ids"].data<long>().ToArray(), batch.InputIds, "token ids from the cached tokenizer files");

        var (model, report) = PretrainedModels.Load(folder, TaskHead.SequenceClassification);
        using var _ = model;
        Assert.AreEqual(0, report.NewlyInitialized.Count + report.Unexpected.Count, report.ToString());
        using var noGrad = torch.no_grad();
        var output = model.forward(ModelParityTests.Inputs(reference, reference.ForwardKwargs()));
        TensorAssert.Close(reference.Tensors["logits"], output.Logits!, 1e-4, 1e-4, "logits");
    }
}
