using Microsoft.ML.ConvDeberta.Models;
using Microsoft.ML.ConvDeberta.Tests.Models.ConvBert;
using Microsoft.ML.ConvDeberta.Tests.Models.Deberta;
using Microsoft.ML.ConvDeberta.Tests.Models.DebertaV2;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.ConvDeberta.Tests.Models.Heads;

/// <summary>
/// <see cref="TaskModel.InitializeWeights"/> runs the family's own <c>_init_weights</c> for every head, the shared
/// ones in Models/Heads included: parameters outside Linear/Embedding/LayerNorm are initialised as the family does.
/// </summary>
[TestClass]
public class FamilyInitialisationTests
{
    [TestMethod]
    [DataRow(TaskHead.Base)]
    [DataRow(TaskHead.TokenClassification)]
    [DataRow(TaskHead.QuestionAnswering)]
    [DataRow(TaskHead.SequenceClassification)]
    public void DebertaFreeAttentionBiasesAreZeroed(TaskHead head)
    {
        using var model = ModelFamilies.ForModelType("deberta").Create(DebertaConfigTests.Parse(), head);
        var state = model.state_dict();
        var key = state.Keys.Single(k => k.EndsWith("layer.0.attention.self.q_bias", StringComparison.Ordinal));
        using (torch.no_grad()) state[key].fill_(1f);

        model.InitializeWeights([key]);

        Assert.AreEqual(0f, state[key].abs().max().item<float>(), $"{key} after InitializeWeights");
    }

    [TestMethod]
    [DataRow(TaskHead.Base)]
    [DataRow(TaskHead.TokenClassification)]
    [DataRow(TaskHead.QuestionAnswering)]
    public void ConvBertSeparableConvolutionIsInitialised(TaskHead head)
    {
        var config = ConvBertArchitectureTests.SmallEmbedding();
        using var model = ModelFamilies.ForModelType("convbert").Create(config, head);
        var state = model.state_dict();
        var key = state.Keys.First(k => k.EndsWith("depthwise.weight", StringComparison.Ordinal));
        using (torch.no_grad()) state[key].zero_();

        model.InitializeWeights([key]);

        Assert.IsTrue(state[key].abs().max().item<float>() > 0, $"{key} is drawn from N(0, initializer_range), not left at 0");
        Assert.IsTrue(state[key].abs().max().item<float>() < 10 * config.InitializerRange, $"{key} ~ N(0, {config.InitializerRange})");
    }

    [TestMethod]
    [DataRow(TaskHead.Base)]
    [DataRow(TaskHead.MaskedLM)]
    [DataRow(TaskHead.SequenceClassification)]
    [DataRow(TaskHead.MultipleChoice)]
    [DataRow(TaskHead.QuestionAnswering)]
    public void DebertaV2ConvolutionKeepsItsWeights(TaskHead head)
    {
        var config = DebertaV2ConfigTests.Parse(DebertaV2ConfigTests.SmallConfig());
        using var model = ModelFamilies.ForModelType("deberta-v2").Create(config, head);
        var state = model.state_dict();
        var conv = state.Keys.Single(k => k.EndsWith("encoder.conv.conv.weight", StringComparison.Ordinal));
        var query = state.Keys.Single(k => k.EndsWith("layer.0.attention.self.query_proj.weight", StringComparison.Ordinal));
        using (torch.no_grad()) { state[conv].fill_(0.5f); state[query].fill_(0.5f); }

        model.InitializeWeights();

        // Hugging Face's _init_weights leaves nn.Conv1d alone; Linear weights are redrawn.
        Assert.AreEqual(0.5f, state[conv].min().item<float>(), $"{conv} untouched");
        Assert.AreEqual(0.5f, state[conv].max().item<float>(), $"{conv} untouched");
        Assert.AreEqual(config.InitializerRange, state[query].std().item<float>(), 0.01, $"{query} redrawn");
    }
}
