using System.Text.Json.Nodes;
using Microsoft.ML.ConvDeberta.Checkpoints.SafeTensors;
using Microsoft.ML.ConvDeberta.Models;
using Microsoft.ML.ConvDeberta.Models.Deberta;
using Microsoft.ML.ConvDeberta.Tests.Infrastructure;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.ConvDeberta.Tests.Models.Deberta;

/// <summary>
/// DeBERTa (v1) built from configs other than the reference cases: state-dict keys and shapes (derived from the keys the
/// Python reference saved, adjusted by Hugging Face's construction rules), output shapes, masking semantics and ties.
/// </summary>
[TestClass]
public class DebertaModelTests
{
    private static readonly DebertaFamily Family = new();

    // Variants around the two reference layouts: "v1" (no absolute positions, no token types, embedding = hidden)
    // and "pbi" (absolute positions, 2 token types, embedding_size 24 with embed_proj).
    public static IEnumerable<object[]> Variants() =>
    [
        ["v1", "c2p only, 3 layers, span 8 < length", Changes(("pos_att_type", "c2p"), ("num_hidden_layers", 3), ("max_relative_positions", 8))],
        ["v1", "p2c list, max_relative_positions -1", Changes(("pos_att_type", new JsonArray("p2c")), ("max_relative_positions", -1))],
        ["v1", "no relative attention", Changes(("relative_attention", false), ("pos_att_type", null))],
        ["pbi", "p2c|c2p, 1 layer, span 4", Changes(("pos_att_type", "p2c|c2p"), ("num_hidden_layers", 1), ("max_relative_positions", 4))],
        ["pbi", "relative table without terms", Changes(("pos_att_type", new JsonArray()))],
    ];

    private static string Changes(params (string Key, JsonNode? Value)[] changes) =>
        new JsonArray(changes.Select(c => (JsonNode)new JsonArray(c.Key, c.Value?.DeepClone())).ToArray()).ToJsonString();

    private static DebertaConfig Config(string layout, string changes)
    {
        var list = JsonNode.Parse(changes)!.AsArray().Select(p => (p![0]!.GetValue<string>(), p[1]?.DeepClone())).ToList();
        if (layout == "pbi")
            list.InsertRange(0, [("position_biased_input", true), ("type_vocab_size", 2), ("embedding_size", 24)]);
        return DebertaConfigTests.Parse([.. list]);
    }

    [TestMethod]
    [DynamicData(nameof(Variants))]
    public void StateDictKeysFollowTheConfig(string layout, string description, string changes)
    {
        var config = Config(layout, changes);
        using var model = Family.Create(config, TaskHead.Base);
        var actual = model.state_dict().Select(p => $"{p.Key} [{string.Join(", ", p.Value.shape)}]").Order(StringComparer.Ordinal).ToList();
        var expected = ExpectedBaseKeys(layout == "pbi" ? "deberta_v1_pbi" : "deberta_v1", config);
        CollectionAssert.AreEqual(expected, actual, $"{description}:\nexpected\n  {string.Join("\n  ", expected)}\ngot\n  {string.Join("\n  ", actual)}");
    }

    /// <summary>
    /// The reference's saved keys for the same embedding layout, with layers added or removed, position projections
    /// kept only for configured terms, and the relative table sized 2·max_relative_positions, as DebertaModel builds them.
    /// </summary>
    private static List<string> ExpectedBaseKeys(string referenceFamily, DebertaConfig config)
    {
        var folder = SharedData.Reference("models", referenceFamily, "base");
        var reference = SafeTensorsReader.Load(Path.Combine(folder, "model.safetensors"));
        var shapes = reference.ToDictionary(p => p.Key, p => p.Value.shape);
        foreach (var t in reference.Values) t.Dispose();

        var keys = new List<string>();
        foreach (var (key, shape) in shapes)
        {
            if (key.StartsWith("encoder.layer.0.", StringComparison.Ordinal))
                for (int i = 0; i < config.NumHiddenLayers; i++) keys.Add(Describe($"encoder.layer.{i}.{key["encoder.layer.0.".Length..]}", shape));
            else if (!key.StartsWith("encoder.layer.", StringComparison.Ordinal))
                keys.Add(Describe(key, shape));
        }
        return keys
            .Where(k => config.HasC2P || !k.Contains(".pos_proj.", StringComparison.Ordinal))
            .Where(k => config.HasP2C || !k.Contains(".pos_q_proj.", StringComparison.Ordinal))
            .Where(k => config.RelativeAttention || !k.StartsWith("encoder.rel_embeddings", StringComparison.Ordinal))
            .Select(k => k.StartsWith("encoder.rel_embeddings.weight", StringComparison.Ordinal)
                ? $"encoder.rel_embeddings.weight [{2 * config.EffectiveMaxRelativePositions}, {config.HiddenSize}]" : k)
            .Order(StringComparer.Ordinal).ToList();

        static string Describe(string key, long[] shape) => $"{key} [{string.Join(", ", shape)}]";
    }

    [TestMethod]
    [DynamicData(nameof(Variants))]
    public void ForwardShapesAndPaddingSemantics(string layout, string description, string changes)
    {
        using var scope = NewDisposeScope();
        var config = Config(layout, changes);
        using var model = Family.Create(config, TaskHead.Base);
        model.eval();
        model.Encoder.Outputs = OutputOptions.All;
        using var noGrad = torch.no_grad();
        var (ids, mask) = Batch(config, 10, realLengths: [10, 6]);
        var output = model.forward(new ModelInputs { InputIds = ids, AttentionMask = mask }).Encoder;

        CollectionAssert.AreEqual(new long[] { 2, 10, 32 }, output.LastHiddenState.shape, description);
        Assert.AreEqual(config.NumHiddenLayers + 1, output.HiddenStates.Count, description);
        Assert.AreEqual(config.NumHiddenLayers, output.Attentions.Count, description);
        var attention = output.Attentions[^1];
        CollectionAssert.AreEqual(new long[] { 2, 4, 10, 10 }, attention.shape, description);
        // Real query rows put no weight on padded keys; padded query rows attend uniformly to all 10 positions.
        Assert.AreEqual(0.0, attention[1, .., ..6, 6..].abs().max().item<float>(), 0.0, description);
        Assert.AreEqual(0.1, attention[1, .., 6..].min().item<float>(), 1e-6, description);
        Assert.AreEqual(0.1, attention[1, .., 6..].max().item<float>(), 1e-6, description);
        // The embedding output is zero at padded positions.
        Assert.AreEqual(0.0, output.HiddenStates[0][1, 6..].abs().max().item<float>(), 0.0, description);

        if (config.RelativeAttention)
        {
            var relative = output.Debug["relative_pos"];
            Assert.AreEqual(ScalarType.Int64, relative.dtype);
            CollectionAssert.AreEqual(new long[] { 1, 10, 10 }, relative.shape);
            Assert.AreEqual(3L, relative[0, 5, 2].item<long>(), "relative position is query index − key index");
            CollectionAssert.AreEqual(new long[] { 2 * config.EffectiveMaxRelativePositions, 32 }, output.Debug["rel_embeddings"].shape);
        }
        else Assert.AreEqual(0, output.Debug.Count, description);
    }

    [TestMethod]
    public void EveryHeadProducesHuggingFaceShapesAndHeadKeys()
    {
        using var scope = NewDisposeScope();
        var config = (DebertaConfig)Config("pbi", Changes(("max_relative_positions", 4))).WithLabels(3);
        var (ids, mask) = Batch(config, 10, realLengths: [10, 7]);
        var inputs = new ModelInputs { InputIds = ids, AttentionMask = mask };
        using var noGrad = torch.no_grad();

        var expectedHeadKeys = new Dictionary<TaskHead, string>
        {
            [TaskHead.MaskedLM] = "deberta_v1_pbi/masked_lm", [TaskHead.SequenceClassification] = "deberta_v1_pbi/seq_cls",
            [TaskHead.TokenClassification] = "deberta_v1_pbi/token_cls", [TaskHead.QuestionAnswering] = "deberta_v1_pbi/qa",
            // transformers has no DebertaForMultipleChoice: the head mirrors DebertaV2ForMultipleChoice.
            [TaskHead.MultipleChoice] = "deberta_v2_unshared/multiple_choice",
        };
        foreach (var (head, reference) in expectedHeadKeys)
        {
            using var model = Family.Create(config, head);
            model.eval();
            var headKeys = model.state_dict().Where(p => !p.Key.StartsWith("deberta.", StringComparison.Ordinal))
                .Select(p => p.Key).Order(StringComparer.Ordinal).ToList();
            CollectionAssert.AreEqual(ReferenceHeadKeys(reference), headKeys, $"{head} head keys");
            var output = head == TaskHead.MultipleChoice
                ? model.forward(new ModelInputs { InputIds = ids.view(1, 2, 10), AttentionMask = mask.view(1, 2, 10) })
                : model.forward(inputs);
            long[] expectedShape = head switch
            {
                TaskHead.MaskedLM => [2, 10, 1000],
                TaskHead.SequenceClassification => [2, 3],
                TaskHead.TokenClassification => [2, 10, 3],
                TaskHead.QuestionAnswering => [2, 10],
                _ => [1, 2],
            };
            CollectionAssert.AreEqual(expectedShape, (output.Logits ?? output.StartLogits)!.shape, head.ToString());
        }
    }

    /// <summary>The non-encoder keys a reference case's model has (saved ones plus the tied keys safetensors omits).</summary>
    private static List<string> ReferenceHeadKeys(string caseName)
    {
        using var reference = ParityTestsAccess.Open(caseName);
        var saved = SafeTensorsReader.Load(Path.Combine(reference.Directory, "model.safetensors"));
        var keys = saved.Keys.Concat(reference.Json.GetProperty("weights").GetProperty("omitted_from_safetensors").EnumerateArray().Select(e => e.GetString()!));
        foreach (var t in saved.Values) t.Dispose();
        return keys.Where(k => !k.StartsWith("deberta.", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
    }

    [TestMethod]
    public void LegacyDecoderSharesTheWordEmbeddingsAndIsTrainedOnce()
    {
        var config = Config("v1", Changes());
        using var model = Family.Create(config, TaskHead.MaskedLM);
        var state = model.state_dict();
        Assert.AreEqual(0f, state["deberta.embeddings.word_embeddings.weight"][0].abs().max().item<float>(), "padding row stays 0 after init");
        using (torch.no_grad())
        {
            state["deberta.embeddings.word_embeddings.weight"][3, 5] = 42f;
            state["cls.predictions.bias"][7] = -3f;
        }
        Assert.AreEqual(42f, state["cls.predictions.decoder.weight"][3, 5].item<float>(), "decoder weight is the embedding table");
        Assert.AreEqual(-3f, state["cls.predictions.decoder.bias"][7].item<float>(), "decoder bias is cls.predictions.bias");
        var pointers = model.parameters().ToList();
        var distinct = pointers.Distinct(ReferenceEqualityComparer.Instance).Count();
        Assert.AreEqual(pointers.Count, distinct, "each tied parameter is handed to the optimizer once");
    }

    [TestMethod]
    public void BFloat16ForwardMasksWithTheDtypesMinimum()
    {
        using var scope = NewDisposeScope();
        var config = Config("v1", Changes());
        using var model = Family.Create(config, TaskHead.Base);
        model.eval();
        model.Encoder.Outputs = OutputOptions.All;
        var (ids, mask) = Batch(config, 10, realLengths: [10, 4]);
        using var noGrad = torch.no_grad();
        var full = model.forward(new ModelInputs { InputIds = ids, AttentionMask = mask }).Encoder.LastHiddenState.clone();
        model.to(ScalarType.BFloat16);
        var half = model.forward(new ModelInputs { InputIds = ids, AttentionMask = mask }).Encoder;
        // float32's minimum would overflow to -inf in bfloat16 and turn fully masked rows into NaN.
        Assert.IsTrue(half.LastHiddenState.isfinite().all().item<bool>(), "bfloat16 output is finite");
        var error = (half.LastHiddenState.to(ScalarType.Float32) - full).abs().max().item<float>();
        Console.WriteLine($"bfloat16 vs float32 max |diff| {error}");
        Assert.IsTrue(error < 0.1, $"bfloat16 output close to float32 (max |diff| {error})");
    }

    [TestMethod]
    [DataRow("deberta.embeddings.LayerNorm.gamma", "deberta.embeddings.LayerNorm.weight")]
    [DataRow("encoder.layer.0.output.LayerNorm.beta", "encoder.layer.0.output.LayerNorm.bias")]
    [DataRow("deberta.embeddings.position_ids", null)]
    [DataRow("embeddings.position_ids", null)]
    [DataRow("deberta.encoder.rel_embeddings.weight", "deberta.encoder.rel_embeddings.weight")]
    public void LegacyCheckpointKeysAreMapped(string key, string? expected) => Assert.AreEqual(expected, Family.MapLegacyKey(key));

    [TestMethod]
    public void FamilyIsRegisteredForEveryClassName()
    {
        Assert.AreSame(typeof(DebertaConfig), ModelFamilies.ForModelType("deberta").ConfigType);
        foreach (var (name, head) in new[] { ("DebertaModel", TaskHead.Base), ("DebertaForMaskedLM", TaskHead.MaskedLM),
            ("DebertaForSequenceClassification", TaskHead.SequenceClassification), ("DebertaForTokenClassification", TaskHead.TokenClassification),
            ("DebertaForQuestionAnswering", TaskHead.QuestionAnswering), ("DebertaForMultipleChoice", TaskHead.MultipleChoice) })
        {
            var (family, found) = ModelFamilies.ForClassName(name);
            Assert.AreEqual("deberta", family.ModelType, name);
            Assert.AreEqual(head, found, name);
        }
    }

    [TestMethod]
    public void ClassificationHeadsRejectAPoolerOfAnotherWidth()
    {
        var config = Config("v1", Changes(("pooler_hidden_size", 16)));
        var error = Assert.ThrowsExactly<InvalidDataException>(() => Family.Create(config, TaskHead.SequenceClassification));
        StringAssert.Contains(error.Message, "pooler_hidden_size");
        using var encoderOnly = Family.Create(config, TaskHead.Base);   // the bare encoder does not use the pooler
    }

    private static (Tensor Ids, Tensor Mask) Batch(PretrainedConfig config, int length, int[] realLengths)
    {
        var generator = new Generator(seed: 7);
        var ids = torch.randint(5, config.VocabSize, [realLengths.Length, length], generator: generator, dtype: ScalarType.Int64);
        var mask = torch.zeros([realLengths.Length, length], dtype: ScalarType.Int64);
        for (int i = 0; i < realLengths.Length; i++)
        {
            mask[i, ..realLengths[i]] = 1;
            ids[i, realLengths[i]..] = config.PadTokenId;
        }
        return (ids, mask);
    }
}

/// <summary>Opens reference cases the way the parity harness does.</summary>
internal static class ParityTestsAccess
{
    public static ReferenceCase Open(string caseName) => Microsoft.ML.ConvDeberta.Tests.Models.ModelParityTests.Open(caseName);
}
