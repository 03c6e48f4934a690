using Microsoft.ML.ConvDeberta.Checkpoints.SafeTensors;
using Microsoft.ML.ConvDeberta.Models;
using Microsoft.ML.ConvDeberta.Models.ConvBert;
using Microsoft.ML.ConvDeberta.Tests.Infrastructure;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.ConvDeberta.Tests.Models.ConvBert;

/// <summary>
/// State-dict names and shapes against Hugging Face (the reference checkpoints, and approved layouts for other sizes),
/// and output shapes of every head for configurations the reference does not cover.
/// </summary>
[TestClass]
public class ConvBertArchitectureTests
{
    private static readonly ConvBertFamily Family = new();

    /// <summary>embedding_size = hidden, kernel 5, 4 groups, 8 heads (4 self-attention heads).</summary>
    internal static ConvBertConfig KernelFiveGroupsFour() => new()
    {
        VocabSize = 50, HiddenSize = 64, EmbeddingSize = 64, NumAttentionHeads = 8, HeadRatio = 2, ConvKernelSize = 5,
        NumGroups = 4, IntermediateSize = 96, MaxPositionEmbeddings = 40, TypeVocabSize = 3, NumHiddenLayers = 1,
    };

    /// <summary>embedding_size 16 &lt; hidden 32, kernel 3, 2 heads with head_ratio 4 (one self-attention head).</summary>
    internal static ConvBertConfig SmallEmbedding() => new()
    {
        VocabSize = 30, HiddenSize = 32, EmbeddingSize = 16, NumAttentionHeads = 2, HeadRatio = 4, ConvKernelSize = 3,
        NumGroups = 1, IntermediateSize = 48, MaxPositionEmbeddings = 20, TypeVocabSize = 2, NumHiddenLayers = 1,
    };

    [TestMethod]
    public void GroupedKernelFiveLayoutMatchesApprovedBaseline()
    {
        using var model = Family.Create(KernelFiveGroupsFour(), TaskHead.Base);
        Assert.AreEqual(Normalize(ConvBertStateDictBaselines.KernelFiveGroupsFour), Layout(model));
    }

    [TestMethod]
    public void SmallEmbeddingMaskedLMLayoutMatchesApprovedBaseline()
    {
        using var model = Family.Create(SmallEmbedding(), TaskHead.MaskedLM);
        Assert.AreEqual(Normalize(ConvBertStateDictBaselines.SmallEmbeddingMaskedLM), Layout(model));
    }

    [TestMethod]
    public void EveryHeadAddsTheHuggingFaceHeadKeys()
    {
        var config = (ConvBertConfig)KernelFiveGroupsFour().WithLabels(3);
        var encoderKeys = Normalize(ConvBertStateDictBaselines.KernelFiveGroupsFour).Split('\n').Select(line => "convbert." + line);
        var heads = new Dictionary<TaskHead, string[]>
        {
            [TaskHead.SequenceClassification] = ["classifier.dense.bias [64]", "classifier.dense.weight [64, 64]", "classifier.out_proj.bias [3]", "classifier.out_proj.weight [3, 64]"],
            [TaskHead.TokenClassification] = ["classifier.bias [3]", "classifier.weight [3, 64]"],
            [TaskHead.QuestionAnswering] = ["qa_outputs.bias [3]", "qa_outputs.weight [3, 64]"],
            [TaskHead.MultipleChoice] = ["classifier.bias [1]", "classifier.weight [1, 64]"],
        };
        foreach (var (head, headKeys) in heads)
        {
            using var model = Family.Create(config, head);
            var expected = string.Join("\n", encoderKeys.Concat(headKeys).OrderBy(k => k, StringComparer.Ordinal));
            Assert.AreEqual(expected, Layout(model), head.ToString());
        }
    }

    [TestMethod]
    public void StateDictMatchesEveryReferenceCheckpoint()
    {
        var root = SharedData.Reference("models");
        var cases = ReferenceCase.Discover(root).Where(c => c.StartsWith("convbert", StringComparison.Ordinal)).ToList();
        Assert.IsTrue(cases.Count > 0, $"no convbert cases under {root}");
        foreach (var name in cases)
        {
            using var reference = new ReferenceCase(Path.Combine(root, name), name);
            var config = ModelConfigs.Load(reference.Directory);
            using var model = Family.Create(config, Family.HeadsByClassName[reference.ModelClass]);
            using var scope = NewDisposeScope();
            var weights = SafeTensorsReader.Load(Path.Combine(reference.Directory, "model.safetensors"));
            var expected = weights.ToDictionary(kv => kv.Key, kv => kv.Value.shape);
            foreach (var tied in reference.Json.GetProperty("weights").GetProperty("tied_in_state_dict").EnumerateObject())
                expected[tied.Name] = expected[tied.Value.GetString()!];
            Assert.AreEqual(Layout(expected), Layout(model), name);
        }
    }

    [TestMethod]
    public void EveryHeadProducesHuggingFaceShapes()
    {
        foreach (var baseConfig in new[] { KernelFiveGroupsFour(), SmallEmbedding() })
        {
            var config = (ConvBertConfig)baseConfig.WithLabels(2);
            using var scope = NewDisposeScope();
            var ids = torch.randint(1, config.VocabSize, [2, 7], dtype: ScalarType.Int64);
            var mask = torch.tensor(new long[] { 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0 }, [2, 7]);
            var inputs = new ModelInputs { InputIds = ids, AttentionMask = mask, Labels = torch.tensor(new long[] { 0, 1 }) };
            long h = config.HiddenSize, heads = config.EffectiveSelfAttentionHeads;

            using (var model = Family.Create(config, TaskHead.Base))
            {
                model.eval();
                model.Encoder.Outputs = OutputOptions.All;
                var output = model.forward(inputs with { Labels = null });
                CollectionAssert.AreEqual(new long[] { 2, 7, h }, output.Encoder.LastHiddenState.shape);
                Assert.AreEqual(config.NumHiddenLayers + 1, output.Encoder.HiddenStates.Count);
                CollectionAssert.AreEqual(new long[] { 2, heads, 7, 7 }, output.Encoder.Attentions[0].shape);
            }
            Check(config, TaskHead.MaskedLM, inputs with { Labels = ids }, [2, 7, config.VocabSize]);
            Check(config, TaskHead.SequenceClassification, inputs, [2, 2]);
            Check(config, TaskHead.TokenClassification, inputs with { Labels = torch.zeros(2, 7, dtype: ScalarType.Int64) }, [2, 7, 2]);
            using (var qa = Family.Create(config, TaskHead.QuestionAnswering))
            {
                var output = qa.forward(inputs with { Labels = null, StartPositions = torch.tensor(new long[] { 1, 2 }), EndPositions = torch.tensor(new long[] { 3, 9 }) });
                CollectionAssert.AreEqual(new long[] { 2, 7 }, output.StartLogits!.shape);
                CollectionAssert.AreEqual(new long[] { 2, 7 }, output.EndLogits!.shape);
                Assert.IsTrue(float.IsFinite(output.Loss!.item<float>()));
            }
            var choices = new ModelInputs
            {
                InputIds = torch.randint(1, config.VocabSize, [2, 3, 5], dtype: ScalarType.Int64),
                TokenTypeIds = torch.zeros(2, 3, 5, dtype: ScalarType.Int64),
                Labels = torch.tensor(new long[] { 2, 0 }),
            };
            Check(config, TaskHead.MultipleChoice, choices, [2, 3]);
        }
    }

    private static void Check(ConvBertConfig config, TaskHead head, ModelInputs inputs, long[] logitsShape)
    {
        using var model = Family.Create(config, head);
        model.eval();
        var output = model.forward(inputs);
        CollectionAssert.AreEqual(logitsShape, output.Logits!.shape, head.ToString());
        Assert.AreEqual(0, output.Loss!.dim(), head.ToString());
        Assert.IsTrue(float.IsFinite(output.Loss.item<float>()), $"{head}: loss {output.Loss.item<float>()}");
    }

    internal static string Layout(nn.Module model) =>
        Layout(model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.shape));

    private static string Layout(IDictionary<string, long[]> shapes) =>
        string.Join("\n", shapes.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key} [{string.Join(", ", kv.Value)}]"));

    private static string Normalize(string baseline) =>
        string.Join("\n", baseline.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
}
