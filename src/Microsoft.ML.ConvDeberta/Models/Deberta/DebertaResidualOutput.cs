using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.ConvDeberta.Models.Deberta;

/// <summary>
/// <c>attention.output.*</c> and <c>output.*</c> (Hugging Face's DebertaSelfOutput / DebertaOutput):
/// LayerNorm(dropout(dense(x)) + residual).
/// </summary>
internal sealed class DebertaResidualOutput : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly Linear dense;
    private readonly LayerNorm LayerNorm;
    private readonly Dropout dropout;

    public DebertaResidualOutput(int inputSize, DebertaConfig config) : base(nameof(DebertaResidualOutput))
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
