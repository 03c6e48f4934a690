using Microsoft.ML.ConvDeberta.Models.Heads;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.ConvDeberta.Models.DebertaV2;

/// <summary>
/// nGiE, DeBERTa-v2's n-gram induced input encoding (<c>encoder.conv</c>): a 1-D convolution over the embedding
/// output, added to the first layer's output. out = LayerNorm(layer0 + act(dropout(conv(embeddings) · mask))) · mask.
/// The convolution reads padded positions (their embeddings are already zeroed by the embedding mask).
/// </summary>
internal sealed class ConvLayer : nn.Module
{
    private readonly Conv1d conv;
    private readonly LayerNorm LayerNorm;
    private readonly Dropout dropout;
    private readonly Func<Tensor, Tensor> activation;

    public ConvLayer(DebertaV2Config config) : base(nameof(ConvLayer))
    {
        int kernel = config.ConvKernelSize;
        conv = nn.Conv1d(config.HiddenSize, config.HiddenSize, kernel, padding: (kernel - 1) / 2, groups: config.ConvGroups);
        LayerNorm = nn.LayerNorm(config.HiddenSize, config.LayerNormEps);
        dropout = nn.Dropout(config.HiddenDropoutProb);
        activation = Activations.Get(config.ConvAct, "conv_act");
        RegisterComponents();
    }

    /// <summary>embeddings [B, L, H] (conv input), residual [B, L, H] (layer-0 output), mask [B, L] → [B, L, H].</summary>
    public Tensor Forward(Tensor embeddings, Tensor residual, Tensor mask)
    {
        using var scope = NewDisposeScope();
        var convolved = conv.forward(embeddings.permute(0, 2, 1).contiguous()).permute(0, 2, 1).contiguous();  // (b, l, H)
        var padding = mask.eq(0).unsqueeze(-1);                                                              // (b, l, 1)
        convolved = convolved.masked_fill(padding, 0);
        var branch = activation(dropout.forward(convolved));                                                 // (b, l, H)
        var normalized = LayerNorm.forward(residual + branch);                                              // (b, l, H)
        return (normalized * mask.unsqueeze(2).to(normalized.dtype)).MoveToOuterDisposeScope();
    }
}
