using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.ConvDeberta.Models.Heads;

/// <summary>
/// DeBERTa's pooler (<c>pooler.dense</c>): the first token's hidden state → dropout → dense → activation.
/// Shared by DeBERTa and DeBERTa-v2 sequence classification and multiple choice.
/// </summary>
internal sealed class ContextPooler : nn.Module<Tensor, Tensor>
{
    private readonly Dropout dropout;
    private readonly Linear dense;
    private readonly Func<Tensor, Tensor> activation;

    /// <summary>Output width (pooler_hidden_size).</summary>
    public int OutputSize { get; }

    public ContextPooler(int hiddenSize, int poolerHiddenSize, double poolerDropout, string poolerActivation) : base(nameof(ContextPooler))
    {
        dropout = nn.Dropout(poolerDropout);
        dense = nn.Linear(hiddenSize, poolerHiddenSize);
        activation = Activations.Get(poolerActivation, "pooler_hidden_act");
        OutputSize = poolerHiddenSize;
        RegisterComponents();
    }

    public override Tensor forward(Tensor hiddenStates)
    {
        var first = hiddenStates[.., 0];                  // (b, h)
        return activation(dense.forward(dropout.forward(first)));   // (b, pooler_hidden_size)
    }
}
