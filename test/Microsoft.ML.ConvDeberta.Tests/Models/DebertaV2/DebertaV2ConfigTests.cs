using System.Text.Json.Nodes;
using Microsoft.ML.ConvDeberta.Models;
using Microsoft.ML.ConvDeberta.Models.DebertaV2;

namespace Microsoft.ML.ConvDeberta.Tests.Models.DebertaV2;

[TestClass]
public class DebertaV2ConfigTests
{
    /// <summary>A small v2 config with every DeBERTa-v2 knob set, as JSON (tests edit one key at a time).</summary>
    internal static JsonObject SmallConfig() => new()
    {
        ["model_type"] = "deberta-v2",
        ["vocab_size"] = 100,
        ["hidden_size"] = 32,
        ["num_hidden_layers"] = 2,
        ["num_attention_heads"] = 4,
        ["intermediate_size"] = 64,
        ["max_position_embeddings"] = 64,
        ["relative_attention"] = true,
        ["max_relative_positions"] = -1,
        ["position_buckets"] = 8,
        ["pos_att_type"] = "p2c|c2p",
        ["share_att_key"] = true,
        ["norm_rel_ebd"] = "layer_norm",
        ["position_biased_input"] = false,
        ["conv_kernel_size"] = 3,
        ["conv_act"] = "gelu",
    };

    internal static DebertaV2Config Parse(JsonObject json) => (DebertaV2Config)ModelConfigs.Parse(json.ToJsonString());

    [TestMethod]
    public void DefaultsMatchHuggingFace()
    {
        var config = (DebertaV2Config)ModelConfigs.Parse("""{"model_type": "deberta-v2"}""");
        Assert.AreEqual(128100, config.VocabSize);
        Assert.AreEqual(1536, config.HiddenSize);
        Assert.AreEqual(24, config.NumHiddenLayers);
        Assert.AreEqual(0, config.TypeVocabSize);
        Assert.AreEqual(1e-7, config.LayerNormEps);
        Assert.IsFalse(config.RelativeAttention);
        Assert.IsTrue(config.PositionBiasedInput);
        Assert.IsFalse(config.ShareAttKey);
        Assert.AreEqual("tanh", config.ConvAct);
        Assert.AreEqual(0, config.ConvKernelSize);
        Assert.AreEqual(1, config.ConvGroups);
        Assert.IsNull(config.PosAttType);
        Assert.AreEqual(512, config.EffectiveMaxRelativePositions);
        Assert.AreEqual(1536, config.EffectivePoolerHiddenSize);
        Assert.AreEqual(64, config.EffectiveAttentionHeadSize);
    }

    [TestMethod]
    public void ReleasedV3BaseConfigParses()
    {
        // The layout of microsoft/deberta-v3-base's config.json (string pos_att_type, max_relative_positions -1).
        var config = (DebertaV2Config)ModelConfigs.Parse("""
            {"model_type": "deberta-v2", "attention_probs_dropout_prob": 0.1, "hidden_act": "gelu", "hidden_dropout_prob": 0.1,
             "hidden_size": 768, "initializer_range": 0.02, "intermediate_size": 3072, "max_position_embeddings": 512,
             "relative_attention": true, "position_buckets": 256, "norm_rel_ebd": "layer_norm", "share_att_key": true,
             "pos_att_type": "p2c|c2p", "layer_norm_eps": 1e-7, "max_relative_positions": -1, "position_biased_input": false,
             "num_attention_heads": 12, "num_hidden_layers": 12, "type_vocab_size": 0, "vocab_size": 128100}
            """);
        Assert.AreEqual(512, config.EffectiveMaxRelativePositions);
        Assert.AreEqual(256, config.PositionEmbeddingSpan);
        Assert.IsTrue(config.UsesC2P && config.UsesP2C && config.NormalizesRelativeEmbeddings);
        Assert.AreEqual(64, config.EffectiveAttentionHeadSize);
    }

    [TestMethod]
    public void PosAttTypeAcceptsStringAndListForms()
    {
        var json = SmallConfig();
        json["pos_att_type"] = " P2C | c2p ";
        var fromString = Parse(json);
        CollectionAssert.AreEqual(new[] { "p2c", "c2p" }, fromString.PosAttType!.ToArray());
        json["pos_att_type"] = new JsonArray("c2p");
        var fromList = Parse(json);
        Assert.IsTrue(fromList.UsesC2P);
        Assert.IsFalse(fromList.UsesP2C);
    }

    [TestMethod]
    public void NegativeMaxRelativePositionsMeansMaxPositionEmbeddings()
    {
        var json = SmallConfig();
        json["position_buckets"] = -1;
        var config = Parse(json);
        Assert.AreEqual(64, config.EffectiveMaxRelativePositions);
        Assert.AreEqual(64, config.PositionEmbeddingSpan);
        json["position_buckets"] = 8;
        Assert.AreEqual(8, Parse(json).PositionEmbeddingSpan);
    }

    [TestMethod]
    public void RoundTripKeepsEveryKnob()
    {
        var original = Parse(SmallConfig());
        var reparsed = (DebertaV2Config)ModelConfigs.Parse(original.ToJson());
        Assert.AreEqual(original with { PosAttType = null }, reparsed with { PosAttType = null, ExtraFields = original.ExtraFields });
        CollectionAssert.AreEqual(original.PosAttType!.ToArray(), reparsed.PosAttType!.ToArray());
        StringAssert.Contains(original.ToJson(), "\"model_type\": \"deberta-v2\"");
    }

    [TestMethod]
    [DataRow("hidden_size", 30, "hidden_size")]
    [DataRow("attention_head_size", 5, "attention_head_size")]
    [DataRow("pos_att_type", "c2p|p2p", "pos_att_type")]
    [DataRow("norm_rel_ebd", "batch_norm", "norm_rel_ebd")]
    [DataRow("conv_kernel_size", 4, "conv_kernel_size")]
    [DataRow("conv_kernel_size", -1, "conv_kernel_size")]
    [DataRow("conv_groups", 3, "conv_groups")]
    [DataRow("conv_act", "swishy", "conv_act")]
    [DataRow("hidden_act", "swishy", "hidden_act")]
    [DataRow("pooler_hidden_act", "swishy", "pooler_hidden_act")]
    [DataRow("position_buckets", 256, "position_buckets")]
    [DataRow("pad_token_id", 100, "pad_token_id")]
    [DataRow("pos_att_type", 5, "pos_att_type")]
    public void InvalidValuesNameTheKey(string key, object value, string expectedKey)
    {
        var json = SmallConfig();
        json[key] = JsonValue.Create(value);
        var error = Assert.ThrowsExactly<InvalidDataException>(() => Parse(json));
        StringAssert.Contains(error.Message, expectedKey);
    }
}
