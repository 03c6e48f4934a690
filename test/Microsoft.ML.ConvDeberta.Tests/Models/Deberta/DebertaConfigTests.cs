using System.Text.Json.Nodes;
using Microsoft.ML.ConvDeberta.Models;
using Microsoft.ML.ConvDeberta.Models.Deberta;

namespace Microsoft.ML.ConvDeberta.Tests.Models.Deberta;

[TestClass]
public class DebertaConfigTests
{
    /// <summary>A tiny DeBERTa config as JSON, with <paramref name="changes"/> applied (null values remove the key).</summary>
    internal static string Json(params (string Key, JsonNode? Value)[] changes)
    {
        var node = new JsonObject
        {
            ["model_type"] = "deberta", ["vocab_size"] = 1000, ["hidden_size"] = 32, ["num_hidden_layers"] = 2,
            ["num_attention_heads"] = 4, ["intermediate_size"] = 64, ["max_position_embeddings"] = 64,
            ["relative_attention"] = true, ["max_relative_positions"] = 16, ["pos_att_type"] = "c2p|p2c",
            ["position_biased_input"] = false, ["type_vocab_size"] = 0,
        };
        foreach (var (key, value) in changes)
            if (value is null) node.Remove(key); else node[key] = value;
        return node.ToJsonString();
    }

    internal static DebertaConfig Parse(params (string Key, JsonNode? Value)[] changes) =>
        (DebertaConfig)ModelConfigs.Parse(Json(changes));

    [TestMethod]
    public void DefaultsAreHuggingFaces()
    {
        var config = (DebertaConfig)ModelConfigs.Parse("""{"model_type": "deberta"}""");
        Assert.AreEqual(50265, config.VocabSize);
        Assert.AreEqual(0, config.TypeVocabSize);
        Assert.AreEqual(1e-7, config.LayerNormEps);
        Assert.IsFalse(config.RelativeAttention);
        Assert.AreEqual(-1, config.MaxRelativePositions);
        Assert.AreEqual(512, config.EffectiveMaxRelativePositions);
        Assert.IsTrue(config.PositionBiasedInput);
        Assert.IsNull(config.PosAttType);
        Assert.AreEqual(768, config.EffectiveEmbeddingSize);
        Assert.AreEqual(768, config.EffectivePoolerHiddenSize);
        Assert.AreEqual(0.0, config.PoolerDropout);
        Assert.AreEqual("gelu", config.PoolerHiddenAct);
        Assert.IsTrue(config.Legacy);
    }

    [TestMethod]
    public void PosAttTypeAcceptsStringAndListForms()
    {
        CollectionAssert.AreEqual(new[] { "c2p", "p2c" }, Parse(("pos_att_type", " C2P | p2c ")).PosAttType!.ToArray());
        CollectionAssert.AreEqual(new[] { "p2c" }, Parse(("pos_att_type", new JsonArray("p2c"))).PosAttType!.ToArray());
        Assert.IsNull(Parse(("pos_att_type", null)).PosAttType);
    }

    [TestMethod]
    public void MaxRelativePositionsBelowOneMeansMaxPositionEmbeddings()
    {
        Assert.AreEqual(64, Parse(("max_relative_positions", -1)).EffectiveMaxRelativePositions);
        Assert.AreEqual(64, Parse(("max_relative_positions", 0)).EffectiveMaxRelativePositions);
        Assert.AreEqual(16, Parse().EffectiveMaxRelativePositions);
    }

    [TestMethod]
    public void JsonRoundTripKeepsValuesAndWritesNoNullSizes()
    {
        var config = Parse(("embedding_size", 24), ("cls_dropout", 0.2), ("torch_dtype", "float32"));
        var json = config.ToJson();
        var reparsed = (DebertaConfig)ModelConfigs.Parse(json);
        Assert.AreEqual(24, reparsed.EmbeddingSize);
        Assert.AreEqual(0.2, reparsed.ClsDropout);
        CollectionAssert.AreEqual(config.PosAttType!.ToArray(), reparsed.PosAttType!.ToArray());
        Assert.AreEqual("float32", reparsed.ExtraFields!["torch_dtype"].GetString());
        var written = JsonNode.Parse(Parse().ToJson())!.AsObject();
        // Hugging Face reads an explicit null embedding_size/pooler_hidden_size as None and breaks: never write them.
        Assert.IsFalse(written.ContainsKey("embedding_size"));
        Assert.IsFalse(written.ContainsKey("pooler_hidden_size"));
        Assert.AreEqual("deberta", written["model_type"]!.GetValue<string>());
    }

    [TestMethod]
    [DataRow("talking_head", "true", "talking_head")]
    [DataRow("pos_att_type", "\"c2p|p3c\"", "pos_att_type")]
    [DataRow("pos_att_type", "[\"c2p\", \"c2p\"]", "pos_att_type")]
    [DataRow("pos_att_type", "7", "pos_att_type")]
    [DataRow("hidden_size", "30", "hidden_size")]
    [DataRow("hidden_act", "\"bogus\"", "hidden_act")]
    [DataRow("pooler_hidden_act", "\"bogus\"", "pooler_hidden_act")]
    [DataRow("embedding_size", "0", "embedding_size")]
    [DataRow("layer_norm_eps", "0", "layer_norm_eps")]
    [DataRow("pad_token_id", "1000", "pad_token_id")]
    public void InvalidConfigThrowsNamingTheKey(string key, string value, string named)
    {
        var json = Json((key, JsonNode.Parse(value)));
        var error = Assert.ThrowsExactly<InvalidDataException>(() => ModelConfigs.Parse(json));
        StringAssert.Contains(error.Message, named);
    }

    [TestMethod]
    public void NonLegacyHeadNeedsEmbeddingSizeEqualToHidden()
    {
        var json = Json(("legacy", false), ("embedding_size", 24));
        var error = Assert.ThrowsExactly<InvalidDataException>(() => ModelConfigs.Parse(json));
        StringAssert.Contains(error.Message, "legacy");
        StringAssert.Contains(error.Message, "embedding_size");
    }
}
