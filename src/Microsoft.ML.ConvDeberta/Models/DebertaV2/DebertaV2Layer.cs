using Microsoft.ML.ConvDeberta.Models.Heads;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.ConvDeberta.Models.DebertaV2;

/// <summary><c>encoder.layer.N</c>: attention, then the feed-forward block (<c>intermediate</c>, <c>output</c>).</summary>
internal sealed class DebertaV2Layer : nn.Module
{
    private readonly DebertaV2Attention attention;
    private readonly DebertaV2Intermediate intermediate;
    private readonly DebertaV2Output output;

    public DebertaV2Layer(DebertaV2Config config) : base(nameof(DebertaV2Layer))
    {
        attention = new DebertaV2Attention(config);
        intermediate = new DebertaV2Intermediate(config);
        output = new DebertaV2Output(config, config.IntermediateSize);
        RegisterComponents();
    }

    /// <summary>hidden [B, L, H] → ([B, L, H], attention probabilities [B, heads, L, L]).</summary>
    public (Tensor Output, Tensor Probabilities) Forward(Tensor hidden, Tensor mask, Tensor? relativePos, Tensor? relEmbeddings)
    {
        using var scope = NewDisposeScope();
        var (attended, probabilities) = attention.Forward(hidden, mask, relativePos, relEmbeddings);   // (b, l, H)
        var result = output.forward(intermediate.forward(attended), attended);                       // (b, l, H)
        return (result.MoveToOuterDisposeScope(), probabilities.MoveToOuterDisposeScope());
    }
}

/// <summary><c>intermediate</c>: dense to intermediate_size, then hidden_act.</summary>
internal sealed class DebertaV2Intermediate : nn.Module<Tensor, Tensor>
{
    private readonly Linear dense;
    private readonly Func<Tensor, Tensor> activation;

    public DebertaV2Intermediate(DebertaV2Config config) : base(nameof(DebertaV2Intermediate))
    {
        dense = nn.Linear(config.HiddenSize, config.IntermediateSize);
        activation = Activations.Get(config.HiddenAct, "hidden_act");
        RegisterComponents();
    }

    /// <summary>[B, L, H] → [B, L, intermediate_size].</summary>
    public override Tensor forward(Tensor hidden)
    {
        using var projected = dense.forward(hidden);
        return activation(projected);
    }
}

/// <summary>
/// <c>output</c> and <c>attention.output</c> (Hugging Face's DebertaV2Output / DebertaV2SelfOutput, identical but for
/// the input width): dense back to hidden_size → dropout → LayerNorm(· + residual).
/// </summary>
internal sealed class DebertaV2Output : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly Linear dense;
    private readonly LayerNorm LayerNorm;
    private readonly Dropout dropout;

    public DebertaV2Output(DebertaV2Config config, int inputSize) : base(nameof(DebertaV2Output))
    {
        dense = nn.Linear(inputSize, config.HiddenSize);
        LayerNorm = nn.LayerNorm(config.HiddenSize, config.LayerNormEps);
        dropout = nn.Dropout(config.HiddenDropoutProb);
        RegisterComponents();
    }

    /// <summary>input [B, L, inputSize], residual [B, L, H] → [B, L, H].</summary>
    public override Tensor forward(Tensor intermediate, Tensor residual)
    {
        using var scope = NewDisposeScope();
        var projected = dropout.forward(dense.forward(intermediate));          // (b, l, H)
        return LayerNorm.forward(projected + residual).MoveToOuterDisposeScope();
    }
}
