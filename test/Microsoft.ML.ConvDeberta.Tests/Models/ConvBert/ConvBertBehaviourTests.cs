using Microsoft.ML.ConvDeberta.Checkpoints;
using Microsoft.ML.ConvDeberta.Models;
using Microsoft.ML.ConvDeberta.Models.ConvBert;
using Microsoft.ML.ConvDeberta.Tests.Infrastructure;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.ConvDeberta.Tests.Models.ConvBert;

/// <summary>Dropout modes, tied weights, legacy checkpoint keys and ConvBERT's padding semantics.</summary>
[TestClass]
public class ConvBertBehaviourTests
{
    private static readonly ConvBertFamily Family = new();

    [TestMethod]
    public void DropoutIsActiveInTrainModeOnly()
    {
        var config = ConvBertArchitectureTests.KernelFiveGroupsFour() with { HiddenDropoutProb = 0.5, AttentionProbsDropoutProb = 0.5 };
        using var model = Family.Create(config, TaskHead.Base);
        using var scope = NewDisposeScope();
        var inputs = new ModelInputs { InputIds = torch.randint(1, config.VocabSize, [2, 6], dtype: ScalarType.Int64) };
        model.train();
        Assert.IsFalse(model.forward(inputs).Encoder.LastHiddenState.allclose(model.forward(inputs).Encoder.LastHiddenState), "train mode: dropout should differ between calls");
        model.eval();
        using var noGrad = torch.no_grad();
        Assert.IsTrue(model.forward(inputs).Encoder.LastHiddenState.allclose(model.forward(inputs).Encoder.LastHiddenState, rtol: 0, atol: 0), "eval mode: deterministic");
    }

    [TestMethod]
    public void MaskedLMDecoderSharesTheWordEmbeddings()
    {
        using var model = Family.Create(ConvBertArchitectureTests.SmallEmbedding(), TaskHead.MaskedLM);
        var state = model.state_dict();
        var decoder = state["generator_lm_head.weight"];
        var embeddings = state["convbert.embeddings.word_embeddings.weight"];
        using (torch.no_grad()) embeddings[3].fill_(7f);
        Assert.AreEqual(7f, decoder[3, 0].item<float>(), "the decoder weight must alias the word embeddings");
        Assert.AreEqual("convbert.embeddings.word_embeddings.weight", model.TiedWeights["generator_lm_head.weight"]);
        var parameters = model.parameters().ToList();
        Assert.AreEqual(parameters.Count, parameters.Select(p => p.Handle).Distinct().Count(), "a tied weight must be one optimiser parameter");
    }

    [TestMethod]
    public void LegacyKeysLoadLikeCurrentOnes()
    {
        using var reference = ModelParityTests.Open("convbert_g1/masked_lm");
        using var scope = NewDisposeScope();
        var weights = CheckpointFiles.LoadStateDict(reference.Directory);
        var legacy = weights.ToDictionary(
            kv => kv.Key.Replace("LayerNorm.weight", "LayerNorm.gamma").Replace("LayerNorm.bias", "LayerNorm.beta"), kv => kv.Value);
        legacy["convbert.embeddings.position_ids"] = torch.arange(64).unsqueeze(0);
        Assert.IsTrue(legacy.Keys.Any(k => k.EndsWith(".gamma", StringComparison.Ordinal)));

        using var model = Family.Create(ModelConfigs.Load(reference.Directory), TaskHead.MaskedLM);
        var report = WeightLoader.Load(model, legacy, reference.Directory);
        Assert.AreEqual(0, report.Unexpected.Count, string.Join(", ", report.Unexpected));
        Assert.AreEqual(0, report.NewlyInitialized.Count, string.Join(", ", report.NewlyInitialized));
        CollectionAssert.AreEqual(new[] { "generator_lm_head.weight" }, report.Retied.ToArray());
        model.eval();
        using var noGrad = torch.no_grad();
        var output = model.forward(ModelParityTests.Inputs(reference, reference.ForwardKwargs()));
        TensorAssert.Close(reference.Tensors["logits"], output.Logits!, 1e-4, 1e-4, "logits after loading legacy keys");
    }

    [TestMethod]
    public void OnlyKeysAreMaskedAndTheConvolutionReadsPads()
    {
        var config = ConvBertArchitectureTests.KernelFiveGroupsFour();
        using var model = Family.Create(config, TaskHead.Base);
        model.eval();
        model.Encoder.Outputs = OutputOptions.All;
        using var scope = NewDisposeScope();
        using var noGrad = torch.no_grad();
        var ids = torch.tensor(new long[] { 5, 6, 7, 8, 0, 0, 0, 0 }, [1, 8]);
        var mask = torch.tensor(new long[] { 1, 1, 1, 1, 0, 0, 0, 0 }, [1, 8]);
        var output = model.forward(new ModelInputs { InputIds = ids, AttentionMask = mask });
        var toPads = output.Encoder.Attentions[0].narrow(-1, 4, 4);                // [1, heads, L, 4]: attention to padded keys
        Assert.AreEqual(0.0, toPads.abs().max().item<float>(), 0.0, "padded keys get no attention");

        // Different ids at padded positions: the kernel-5 convolution reaches 2 positions ahead, so the last real token changes.
        var otherPads = ids.clone();
        otherPads[0, 4] = torch.tensor(9L);
        var changed = model.forward(new ModelInputs { InputIds = otherPads, AttentionMask = mask }).Encoder.LastHiddenState;
        Assert.IsFalse(changed[0, 3].allclose(output.Encoder.LastHiddenState[0, 3]), "the span-based convolution reads padded positions");
    }

    [TestMethod]
    public void TooLongInputThrowsNamingMaxPositionEmbeddings()
    {
        using var model = Family.Create(ConvBertArchitectureTests.SmallEmbedding(), TaskHead.Base);
        using var scope = NewDisposeScope();
        var e = Assert.ThrowsExactly<ArgumentException>(() => model.forward(new ModelInputs { InputIds = torch.ones(1, 21, dtype: ScalarType.Int64) }));
        StringAssert.Contains(e.Message, "max_position_embeddings");
    }

    [TestMethod]
    public void RunsInBFloat16()
    {
        torch.manual_seed(7);
        var config = ConvBertArchitectureTests.KernelFiveGroupsFour();
        using var model = Family.Create(config, TaskHead.Base);
        model.eval();
        using var scope = NewDisposeScope();
        using var noGrad = torch.no_grad();
        var inputs = new ModelInputs
        {
            InputIds = torch.randint(1, config.VocabSize, [2, 9], dtype: ScalarType.Int64),
            AttentionMask = torch.tensor(new long[] { 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0 }, [2, 9]),
        };
        var full = model.forward(inputs).Encoder.LastHiddenState;                 // float32
        model.to(ScalarType.BFloat16);
        var half = model.forward(inputs).Encoder.LastHiddenState;
        Assert.AreEqual(ScalarType.BFloat16, half.dtype);
        TensorAssert.Close(full, half.to(ScalarType.Float32), 0.15, 0, "bfloat16 vs float32 (LayerNorm-scaled outputs, ~3 significant digits)");
    }
}
