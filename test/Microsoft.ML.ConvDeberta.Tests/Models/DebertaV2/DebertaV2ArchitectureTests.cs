using System.Text.Json.Nodes;
using Microsoft.ML.ConvDeberta.Checkpoints.SafeTensors;
using Microsoft.ML.ConvDeberta.Models;
using Microsoft.ML.ConvDeberta.Models.DebertaV2;
using Microsoft.ML.ConvDeberta.Tests.Infrastructure;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.ConvDeberta.Tests.Models.DebertaV2;

/// <summary>
/// Builds DeBERTa-v2 encoders from configs other than the reference cases and checks the state-dict layout
/// (names and shapes of Hugging Face's DebertaV2Model) and the forward shapes.
/// </summary>
[TestClass]
public class DebertaV2ArchitectureTests
{
    private const int Vocab = 100, Hidden = 32, Intermediate = 64, MaxPositions = 64;

    [TestMethod]
    public void ReferenceConfigsGiveTheReferenceStateDict()
    {
        var root = SharedData.Reference("models");
        foreach (var family in new[] { "deberta_v2_xlarge_style", "deberta_v3_style", "deberta_v2_unshared" })
        {
            var folder = Path.Combine(root, family, "base");
            using var model = Build((DebertaV2Config)ModelConfigs.Load(folder));
            var expected = SafeTensorsReader.Load(Path.Combine(folder, "model.safetensors"));
            var expectedLayout = expected.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key} [{string.Join(", ", p.Value.shape)}]").ToList();
            foreach (var t in expected.Values) t.Dispose();
            CollectionAssert.AreEqual(expectedLayout, Layout(model), family);
        }
    }

    [TestMethod]
    public void EveryHeadHasTheReferenceKeys()
    {
        var root = SharedData.Reference("models");
        var cases = ReferenceCase.Discover(root).Where(c => c.StartsWith("deberta_v2_", StringComparison.Ordinal) || c.StartsWith("deberta_v3_", StringComparison.Ordinal)).ToList();
        Assert.IsTrue(cases.Count >= 3, "DeBERTa-v2 reference cases");
        foreach (var name in cases)
        {
            using var reference = new ReferenceCase(Path.Combine(root, name), name);
            var (family, head) = ModelFamilies.ForClassName(reference.ModelClass);
            using var model = family.Create(ModelConfigs.Load(reference.Directory), head);
            var stored = SafeTensorsReader.Load(Path.Combine(reference.Directory, "model.safetensors"));
            var expected = stored.Keys.Concat(reference.Json.GetProperty("weights").GetProperty("omitted_from_safetensors").EnumerateArray().Select(e => e.GetString()!));
            foreach (var t in stored.Values) t.Dispose();
            CollectionAssert.AreEqual(Sorted(expected), Sorted(model.state_dict().Keys), name);
            var tied = reference.Json.GetProperty("weights").GetProperty("tied_in_state_dict").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
            CollectionAssert.AreEquivalent(tied.Keys.ToList(), model.TiedWeights.Keys.ToList(), name + ": tied keys");
        }
    }

    [TestMethod]
    public void V3LayoutWith256Buckets()
    {
        var json = Config();
        json["position_buckets"] = 256;
        json["max_position_embeddings"] = 512;
        json.Remove("conv_kernel_size");
        var config = DebertaV2ConfigTests.Parse(json);
        using var model = Build(config);
        var expected = Embeddings(Hidden)
            .Concat(["encoder.LayerNorm.bias [32]", "encoder.LayerNorm.weight [32]"])
            .Concat(Layers(config.NumHiddenLayers, posKey: false, posQuery: false))
            .Append("encoder.rel_embeddings.weight [512, 32]");
        CollectionAssert.AreEqual(Sorted(expected), Layout(model));
        CheckForward(model, config, length: 40);
    }

    [TestMethod]
    public void ConvolutionWithGroupsAndOtherKernel()
    {
        var json = Config();
        json["conv_kernel_size"] = 7;
        json["conv_groups"] = 4;
        json["conv_act"] = "tanh";
        json["position_buckets"] = 16;
        json["max_relative_positions"] = 48;
        var config = DebertaV2ConfigTests.Parse(json);
        using var model = Build(config);
        var expected = Embeddings(Hidden)
            .Concat(["encoder.LayerNorm.bias [32]", "encoder.LayerNorm.weight [32]"])
            .Concat(["encoder.conv.LayerNorm.bias [32]", "encoder.conv.LayerNorm.weight [32]", "encoder.conv.conv.bias [32]", "encoder.conv.conv.weight [32, 8, 7]"])
            .Concat(Layers(config.NumHiddenLayers, posKey: false, posQuery: false))
            .Append("encoder.rel_embeddings.weight [32, 32]");
        CollectionAssert.AreEqual(Sorted(expected), Layout(model));
        CheckForward(model, config, length: 30);
    }

    [TestMethod]
    public void UnsharedKeysWithOnlyC2PAndProjectedEmbeddings()
    {
        var json = Config();
        json["share_att_key"] = false;
        json["pos_att_type"] = new JsonArray("c2p");
        json["position_buckets"] = -1;
        json["max_relative_positions"] = 8;
        json["norm_rel_ebd"] = "none";
        json["position_biased_input"] = true;
        json["type_vocab_size"] = 2;
        json["embedding_size"] = 24;
        json.Remove("conv_kernel_size");
        var config = DebertaV2ConfigTests.Parse(json);
        using var model = Build(config);
        var expected = Embeddings(24)
            .Concat(["embeddings.embed_proj.weight [32, 24]", "embeddings.position_embeddings.weight [64, 24]", "embeddings.token_type_embeddings.weight [2, 24]"])
            .Concat(Layers(config.NumHiddenLayers, posKey: true, posQuery: false))
            .Append("encoder.rel_embeddings.weight [16, 32]");
        CollectionAssert.AreEqual(Sorted(expected), Layout(model));
        CheckForward(model, config, length: 12);
    }

    [TestMethod]
    public void NoRelativeAttentionHasNoPositionTables()
    {
        var json = Config();
        json["relative_attention"] = false;
        json["share_att_key"] = false;
        json["norm_rel_ebd"] = "none";
        json["position_biased_input"] = true;
        json.Remove("conv_kernel_size");
        var config = DebertaV2ConfigTests.Parse(json);
        using var model = Build(config);
        var expected = Embeddings(Hidden).Append("embeddings.position_embeddings.weight [64, 32]").Concat(Layers(config.NumHiddenLayers, false, false));
        CollectionAssert.AreEqual(Sorted(expected), Layout(model));
        CheckForward(model, config, length: 10);
    }

    [TestMethod]
    public void RunsInBFloat16()
    {
        using var scope = NewDisposeScope();
        var config = DebertaV2ConfigTests.Parse(Config());
        using var model = Build(config);
        model.eval();
        var ids = torch.randint(1, Vocab, [2, 20], generator: new Generator(11));
        var mask = torch.ones(2, 20, dtype: ScalarType.Int64);
        mask[1, 12..].fill_(0);
        using var noGrad = torch.no_grad();
        var full = model.forward(new ModelInputs { InputIds = ids, AttentionMask = mask }).Encoder.LastHiddenState;
        model.to(ScalarType.BFloat16);
        var half = model.forward(new ModelInputs { InputIds = ids, AttentionMask = mask }).Encoder.LastHiddenState;
        Assert.AreEqual(ScalarType.BFloat16, half.dtype);
        Assert.IsTrue(half.isfinite().all().item<bool>(), "masking with the dtype's lowest value keeps bf16 finite");
        double meanError = (half.to(ScalarType.Float32) - full).abs().mean().item<float>();
        Assert.IsTrue(meanError < 0.05, $"bf16 output close to float32 (mean |diff| {meanError:G3})");
    }

    private static JsonObject Config()
    {
        var json = DebertaV2ConfigTests.SmallConfig();
        json["vocab_size"] = Vocab;
        json["max_position_embeddings"] = MaxPositions;
        return json;
    }

    private static TaskModel Build(DebertaV2Config config) => ModelFamilies.ForModelType("deberta-v2").Create(config, TaskHead.Base);

    private static List<string> Layout(TaskModel model) =>
        model.state_dict().OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key} [{string.Join(", ", p.Value.shape)}]").ToList();

    private static List<string> Sorted(IEnumerable<string> keys) => keys.OrderBy(k => k, StringComparer.Ordinal).ToList();

    private static IEnumerable<string> Embeddings(int width) =>
        ["embeddings.LayerNorm.bias [32]", "embeddings.LayerNorm.weight [32]", $"embeddings.word_embeddings.weight [{Vocab}, {width}]"];

    private static IEnumerable<string> Layers(int count, bool posKey, bool posQuery)
    {
        for (int i = 0; i < count; i++)
        {
            var p = $"encoder.layer.{i}.";
            yield return p + "attention.output.LayerNorm.bias [32]";
            yield return p + "attention.output.LayerNorm.weight [32]";
            yield return p + "attention.output.dense.bias [32]";
            yield return p + "attention.output.dense.weight [32, 32]";
            foreach (var proj in new[] { "query_proj", "key_proj", "value_proj" }.Concat(posKey ? ["pos_key_proj"] : []).Concat(posQuery ? ["pos_query_proj"] : []))
            {
                yield return p + $"attention.self.{proj}.bias [32]";
                yield return p + $"attention.self.{proj}.weight [32, 32]";
            }
            yield return p + $"intermediate.dense.bias [{Intermediate}]";
            yield return p + $"intermediate.dense.weight [{Intermediate}, 32]";
            yield return p + "output.LayerNorm.bias [32]";
            yield return p + "output.LayerNorm.weight [32]";
            yield return p + "output.dense.bias [32]";
            yield return p + $"output.dense.weight [32, {Intermediate}]";
        }
    }

    /// <summary>Runs a padded batch and checks output shapes, masking and the relative-position range.</summary>
    private static void CheckForward(TaskModel model, DebertaV2Config config, int length)
    {
        using var scope = NewDisposeScope();
        model.eval();
        model.Encoder.Outputs = OutputOptions.All;
        var ids = torch.randint(1, Vocab, [2, length], generator: new Generator(7));
        var mask = torch.ones(2, length, dtype: ScalarType.Int64);
        mask[1, (length / 2)..].fill_(0);
        using var noGrad = torch.no_grad();
        var output = model.forward(new ModelInputs { InputIds = ids, AttentionMask = mask }).Encoder;

        CollectionAssert.AreEqual(new long[] { 2, length, Hidden }, output.LastHiddenState.shape);
        Assert.AreEqual(config.NumHiddenLayers + 1, output.HiddenStates.Count);
        Assert.AreEqual(config.NumHiddenLayers, output.Attentions.Count);
        foreach (var attention in output.Attentions)
        {
            CollectionAssert.AreEqual(new long[] { 2, config.NumAttentionHeads, length, length }, attention.shape);
            Assert.IsTrue(attention.sum(-1).allclose(torch.ones(2, config.NumAttentionHeads, length), 1e-5, 1e-5), "attention rows sum to 1");
            Assert.AreEqual(0f, attention[1, .., ..(length / 2), (length / 2)..].abs().max().item<float>(), "real queries never attend to padding");
        }
        Assert.AreEqual(0f, output.HiddenStates[0][1, (length / 2)..].abs().max().item<float>(), "the embedding output is zero at padding");
        if (config.ConvKernelSize > 0)
            Assert.AreEqual(0f, output.HiddenStates[1][1, (length / 2)..].abs().max().item<float>(), "the nGiE branch masks the first layer's output");
        if (!config.RelativeAttention)
        {
            Assert.AreEqual(0, output.Debug.Count);
            return;
        }
        var relative = output.Debug["relative_pos"];
        CollectionAssert.AreEqual(new long[] { 1, length, length }, relative.shape);
        Assert.AreEqual(ScalarType.Int64, relative.dtype);
        Assert.IsTrue(relative.abs().max().item<long>() < config.PositionEmbeddingSpan || config.PositionBuckets <= 0,
            "log buckets stay inside the table for sequences up to max_relative_positions");
        CollectionAssert.AreEqual(new long[] { 2L * config.PositionEmbeddingSpan, Hidden }, output.Debug["rel_embeddings"].shape);
    }
}
