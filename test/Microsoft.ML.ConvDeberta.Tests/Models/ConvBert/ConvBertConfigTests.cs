using System.Text.Json.Nodes;
using Microsoft.ML.ConvDeberta.Models;
using Microsoft.ML.ConvDeberta.Models.ConvBert;
using Microsoft.ML.ConvDeberta.Tests.Infrastructure;

namespace Microsoft.ML.ConvDeberta.Tests.Models.ConvBert;

[TestClass]
public class ConvBertConfigTests
{
    private const string Valid = """
        { "model_type": "convbert", "vocab_size": 100, "hidden_size": 32, "embedding_size": 24, "num_attention_heads": 4,
          "head_ratio": 2, "conv_kernel_size": 9, "num_groups": 2, "intermediate_size": 64, "num_hidden_layers": 2 }
        """;

    private static string With(string key, JsonNode value)
    {
        var node = JsonNode.Parse(Valid)!.AsObject();
        node[key] = value;
        return node.ToJsonString();
    }

    [TestMethod]
    public void ReadsConvBertKeysByModelType()
    {
        var config = ModelConfigs.Parse(Valid);
        Assert.IsInstanceOfType<ConvBertConfig>(config);
        var convBert = (ConvBertConfig)config;
        Assert.AreEqual(24, convBert.EmbeddingSize);
        Assert.AreEqual(2, convBert.NumGroups);
        Assert.AreEqual(9, convBert.ConvKernelSize);
        Assert.AreEqual(2, convBert.EffectiveSelfAttentionHeads);
        Assert.AreEqual(16, convBert.AllHeadSize);
    }

    [TestMethod]
    [DataRow("hidden_size", 30, "hidden_size")]              // not divisible by 4 heads
    [DataRow("head_ratio", 1, "head_ratio")]                 // all heads self-attention: concatenation would be 2·hidden
    [DataRow("head_ratio", 0, "head_ratio")]
    [DataRow("conv_kernel_size", 4, "conv_kernel_size")]     // even kernels are not centred
    [DataRow("num_groups", 3, "num_groups")]                 // does not divide 32
    [DataRow("intermediate_size", 65, "num_groups")]         // 2 groups do not divide 65
    [DataRow("embedding_size", 0, "embedding_size")]
    [DataRow("type_vocab_size", 0, "type_vocab_size")]
    [DataRow("pad_token_id", 100, "pad_token_id")]
    public void InvalidValueThrowsNamingTheKey(string key, int value, string namedKey)
    {
        var e = Assert.ThrowsExactly<InvalidDataException>(() => ModelConfigs.Parse(With(key, value)));
        StringAssert.Contains(e.Message, $"'{namedKey}'");
    }

    [TestMethod]
    public void UnknownSummaryTypeThrowsNamingTheKey()
    {
        var e = Assert.ThrowsExactly<InvalidDataException>(() => ModelConfigs.Parse(With("summary_type", "attn")));
        StringAssert.Contains(e.Message, "'summary_type'");
    }

    [TestMethod]
    public void BuildingAModelFromAnInvalidRecordThrows()
    {
        var config = new ConvBertConfig { HiddenSize = 30, NumAttentionHeads = 4 };
        var e = Assert.ThrowsExactly<InvalidDataException>(() => new ConvBertFamily().Create(config, TaskHead.Base));
        StringAssert.Contains(e.Message, "'hidden_size'");
    }

    [TestMethod]
    public void ReferenceConfigRoundTripsThroughJson()
    {
        var folder = SharedData.Reference("models", "convbert_g2", "seq_cls");
        var config = (ConvBertConfig)ModelConfigs.Load(folder);
        var json = config.ToJson();
        var again = (ConvBertConfig)ModelConfigs.Parse(json);
        Assert.AreEqual(json, again.ToJson());
        Assert.AreEqual(2, again.NumGroups);
        Assert.AreEqual(3, again.NumLabels);
        var original = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "config.json")))!.AsObject();
        var written = JsonNode.Parse(json)!.AsObject();
        foreach (var (key, value) in original)
            Assert.IsTrue(JsonNode.DeepEquals(value, written[key]), $"key '{key}': {value?.ToJsonString()} became {written[key]?.ToJsonString()}");
        Assert.IsFalse(written.ContainsKey("summary_type"), "summary_* keys are written only when set");
    }
}
