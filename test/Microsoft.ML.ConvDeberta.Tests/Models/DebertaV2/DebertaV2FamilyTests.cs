using Microsoft.ML.ConvDeberta.Models;
using Microsoft.ML.ConvDeberta.Models.DebertaV2;

namespace Microsoft.ML.ConvDeberta.Tests.Models.DebertaV2;

[TestClass]
public class DebertaV2FamilyTests
{
    [TestMethod]
    [DataRow("DebertaV2Model", TaskHead.Base)]
    [DataRow("DebertaV2ForMaskedLM", TaskHead.MaskedLM)]
    [DataRow("DebertaV2ForSequenceClassification", TaskHead.SequenceClassification)]
    [DataRow("DebertaV2ForTokenClassification", TaskHead.TokenClassification)]
    [DataRow("DebertaV2ForQuestionAnswering", TaskHead.QuestionAnswering)]
    [DataRow("DebertaV2ForMultipleChoice", TaskHead.MultipleChoice)]
    public void ClassNamesResolveToTheV2Family(string className, TaskHead head)
    {
        var (family, resolved) = ModelFamilies.ForClassName(className);
        Assert.AreEqual("deberta-v2", family.ModelType);
        Assert.AreEqual("deberta", family.BasePrefix);
        Assert.AreEqual(head, resolved);
        Assert.AreSame(family, ModelFamilies.ForModelType("deberta-v2"));
    }

    [TestMethod]
    public void LegacyKeysAreRenamedOrIgnored()
    {
        var family = ModelFamilies.ForModelType("deberta-v2");
        Assert.AreEqual("deberta.encoder.LayerNorm.weight", family.MapLegacyKey("deberta.encoder.LayerNorm.gamma"));
        Assert.AreEqual("embeddings.LayerNorm.bias", family.MapLegacyKey("embeddings.LayerNorm.beta"));
        Assert.IsNull(family.MapLegacyKey("deberta.embeddings.position_ids"));
        Assert.AreEqual("encoder.rel_embeddings.weight", family.MapLegacyKey("encoder.rel_embeddings.weight"));
    }

    [TestMethod]
    public void AnotherFamilysConfigIsRejectedWithItsModelType()
    {
        var family = ModelFamilies.ForModelType("deberta-v2");
        var other = ModelFamilies.All.First(f => f.ModelType != "deberta-v2");
        var config = ModelConfigs.Parse($$"""{"model_type": "{{other.ModelType}}"}""");
        var error = Assert.ThrowsExactly<ArgumentException>(() => family.Create(config, TaskHead.Base));
        StringAssert.Contains(error.Message, other.ModelType);
    }

    [TestMethod]
    public void FreshModelsFollowHuggingFaceInitialisation()
    {
        var config = DebertaV2ConfigTests.Parse(DebertaV2ConfigTests.SmallConfig());
        using var model = ModelFamilies.ForModelType("deberta-v2").Create(config, TaskHead.SequenceClassification);
        var state = model.state_dict();
        Assert.AreEqual(0f, state["deberta.embeddings.word_embeddings.weight"][0].abs().max().item<float>(), "padding row");
        Assert.AreEqual(1f, state["deberta.encoder.LayerNorm.weight"].min().item<float>());
        Assert.AreEqual(0f, state["classifier.bias"].abs().max().item<float>());
        double std = state["deberta.encoder.layer.0.attention.self.query_proj.weight"].std().item<float>();
        Assert.AreEqual(config.InitializerRange, std, 0.005, "linear weights ~ N(0, initializer_range)");
        // nn.Conv1d is not touched by _init_weights: PyTorch's default (kaiming-uniform) init, far wider than 0.02.
        Assert.IsTrue(state["deberta.encoder.conv.conv.weight"].abs().max().item<float>() > 0.05, "conv keeps PyTorch's default init");
    }
}
