using Microsoft.ML.ConvDeberta.Models.Heads;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.ConvDeberta.Models.Deberta;

/// <summary>
/// <c>intermediate.*</c> of DeBERTa and DeBERTa-v2: the feed-forward expansion act(dense(x)),
/// hidden_size → intermediate_size.
/// </summary>
internal sealed class DebertaIntermediate : nn.Module<Tensor, Tensor>
{
    private readonly Linear dense;
    private readonly Func<Tensor, Tensor> activation;

    public DebertaIntermediate(PretrainedConfig config) : base(nameof(DebertaIntermediate))
    {
        dense = nn.Linear(config.HiddenSize, config.IntermediateSize);
        activation = Activations.Get(config.HiddenAct, "hidden_act");
        RegisterComponents();
    }

    /// <param name="hidden">(b, l, h)</param>
    /// <returns>(b, l, intermediate)</returns>
    public override Tensor forward(Tensor hidden)
    {
        using var projected = dense.forward(hidden);
        return activation(projected);
    }
}
