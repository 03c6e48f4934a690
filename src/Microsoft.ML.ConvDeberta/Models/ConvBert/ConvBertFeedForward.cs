using Microsoft.ML.ConvDeberta.Models.Heads;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.ConvDeberta.Models.ConvBert;

/// <summary>
/// Hugging Face <c>ConvBertIntermediate</c>: <c>dense</c> (Linear, or <see cref="GroupedLinearLayer"/> when
/// num_groups &gt; 1) then hidden_act.
/// </summary>
internal sealed class ConvBertIntermediate : nn.Module<Tensor, Tensor>
{
    public readonly nn.Module<Tensor, Tensor> dense;
    private readonly Func<Tensor, Tensor> activation;

    public ConvBertIntermediate(ConvBertConfig config) : base(nameof(ConvBertIntermediate))
    {
        dense = ConvBertOutput.DenseOrGrouped(config.HiddenSize, config.IntermediateSize, config.NumGroups);
        activation = Activations.Get(config.HiddenAct);
        RegisterComponents();
    }

    /// <param name="hiddenStates">[B, L, H]</param>
    /// <returns>[B, L, intermediate_size]</returns>
    public override Tensor forward(Tensor hiddenStates)
    {
        using var scope = NewDisposeScope();
        return activation(dense.forward(hiddenStates)).MoveToOuterDisposeScope();
    }
}

/// <summary>
/// Hugging Face <c>ConvBertSelfOutput</c> (after attention) and <c>ConvBertOutput</c> (after the intermediate layer):
/// LayerNorm(dropout(dense(x)) + residual). Keys: <c>dense</c>, <c>LayerNorm</c>.
/// </summary>
internal sealed class ConvBertOutput : nn.Module<Tensor, Tensor, Tensor>
{
    public readonly nn.Module<Tensor, Tensor> dense;
    public readonly LayerNorm LayerNorm;
    private readonly Dropout dropout;

    public ConvBertOutput(ConvBertConfig config, long inputSize, long numGroups) : base(nameof(ConvBertOutput))
    {
        dense = DenseOrGrouped(inputSize, config.HiddenSize, numGroups);
        LayerNorm = nn.LayerNorm(config.HiddenSize, config.LayerNormEps);
        dropout = nn.Dropout(config.HiddenDropoutProb);
        RegisterComponents();
    }

    /// <param name="hiddenStates">[B, L, in]</param>
    /// <param name="residual">[B, L, H]</param>
    /// <returns>[B, L, H]</returns>
    public override Tensor forward(Tensor hiddenStates, Tensor residual)
    {
        using var scope = NewDisposeScope();
        var x = dropout.forward(dense.forward(hiddenStates));
        return LayerNorm.forward(x + residual).MoveToOuterDisposeScope();
    }

    /// <summary>A Linear for one group, a <see cref="GroupedLinearLayer"/> otherwise (decided once, from num_groups).</summary>
    internal static nn.Module<Tensor, Tensor> DenseOrGrouped(long inputSize, long outputSize, long numGroups) =>
        numGroups == 1 ? nn.Linear(inputSize, outputSize) : new GroupedLinearLayer(inputSize, outputSize, numGroups);
}
