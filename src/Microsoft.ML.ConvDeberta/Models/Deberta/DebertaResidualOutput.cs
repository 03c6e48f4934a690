using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.ConvDeberta.Models.Deberta;

/// <summary>
/// <c>attention.output.*</c> and <c>output.*</c> of DeBERTa and DeBERTa-v2 (Hugging Face's DebertaSelfOutput /
/// DebertaOutput / DebertaV2SelfOutput / DebertaV2Output, identical but for the input width):
/// LayerNorm(dropout(dense(x)) + residual).
/// </summary>
internal sealed class DebertaResidualOutput : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly Linear dense;
    private readonly LayerNorm LayerNorm;
    private readonly Dropout dropout;

    /// <param name="config">hidden_size, layer_norm_eps and hidden_dropout_prob.</param>
    /// <param name="inputSize">Width of x: hidden_size after attention, intermediate_size after the feed-forward expansion.</param>
    public DebertaResidualOutput(PretrainedConfig config, int inputSize) : base(nameof(DebertaResidualOutput))
    {
        dense = nn.Linear(inputSize, config.HiddenSize);
        LayerNorm = nn.LayerNorm(config.HiddenSize, config.LayerNormEps);
        dropout = nn.Dropout(config.HiddenDropoutProb);
        RegisterComponents();
    }

    /// <param name="hidden">(b, l, inputSize)</param>
    /// <param name="residual">(b, l, h)</param>
    /// <returns>(b, l, h)</returns>
    public override Tensor forward(Tensor hidden, Tensor residual)
    {
        using var scope = NewDisposeScope();
        var projected = dropout.forward(dense.forward(hidden));          // (b, l, h)
        return LayerNorm.forward(projected + residual).MoveToOuterDisposeScope();
    }
}
