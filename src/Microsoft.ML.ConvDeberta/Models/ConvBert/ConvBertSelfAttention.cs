using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.ConvDeberta.Models.ConvBert;

/// <summary>
/// Hugging Face <c>ConvBertSelfAttention</c>, ConvBERT's mixed attention: num_attention_heads / head_ratio ordinary
/// self-attention heads (padded keys masked) concatenated with as many <see cref="SpanDynamicConvolution"/> heads.
/// Keys: <c>query</c>, <c>key</c>, <c>value</c>, <c>key_conv_attn_layer</c> (separable convolution of the keys),
/// <c>conv_kernel_layer</c> (kernel generator), <c>conv_out_layer</c> (values of the convolution).
/// </summary>
internal sealed class ConvBertSelfAttention : nn.Module<Tensor, Tensor, (Tensor Context, Tensor Probabilities)>
{
    public readonly Linear query;
    public readonly Linear key;
    public readonly Linear value;
    public readonly SeparableConv1D key_conv_attn_layer;
    public readonly Linear conv_kernel_layer;
    public readonly Linear conv_out_layer;
    private readonly Dropout dropout;
    private readonly long heads, headSize, kernelSize;

    public ConvBertSelfAttention(ConvBertConfig config) : base(nameof(ConvBertSelfAttention))
    {
        heads = config.EffectiveSelfAttentionHeads;
        headSize = config.AttentionHeadSize;
        kernelSize = config.ConvKernelSize;
        long allHeadSize = config.AllHeadSize;
        query = nn.Linear(config.HiddenSize, allHeadSize);
        key = nn.Linear(config.HiddenSize, allHeadSize);
        value = nn.Linear(config.HiddenSize, allHeadSize);
        key_conv_attn_layer = new SeparableConv1D(config.HiddenSize, allHeadSize, kernelSize);
        conv_kernel_layer = nn.Linear(allHeadSize, heads * kernelSize);
        conv_out_layer = nn.Linear(config.HiddenSize, allHeadSize);
        dropout = nn.Dropout(config.AttentionProbsDropoutProb);
        RegisterComponents();
    }

    /// <param name="hiddenStates">[B, L, H]</param>
    /// <param name="additiveMask">[B, 1, 1, L]: 0 for real keys, the dtype's minimum for padded keys.</param>
    /// <returns>Context [B, L, H] (attention heads then convolution heads) and attention probabilities [B, heads, L, L].</returns>
    public override (Tensor Context, Tensor Probabilities) forward(Tensor hiddenStates, Tensor additiveMask)
    {
        using var scope = NewDisposeScope();
        long batch = hiddenStates.size(0), length = hiddenStates.size(1);
        var mixedQuery = query.forward(hiddenStates);                                          // [B, L, A]
        var mixedKey = key.forward(hiddenStates);
        var mixedValue = value.forward(hiddenStates);
        var mixedKeyConv = key_conv_attn_layer.forward(hiddenStates.transpose(1, 2)).transpose(1, 2);   // [B, L, A]

        var convHeads = SpanDynamicConvolution.Forward(mixedQuery, mixedKeyConv, conv_out_layer.forward(hiddenStates),
                                                       conv_kernel_layer, heads, headSize, kernelSize);   // [B, L, heads, d]

        var q = SplitHeads(mixedQuery);                                                        // [B, heads, L, d]
        var k = SplitHeads(mixedKey);
        var v = SplitHeads(mixedValue);
        var scores = torch.matmul(q, k.transpose(-1, -2)) / Math.Sqrt(headSize);               // [B, heads, L, L]
        scores = scores + additiveMask;
        var probabilities = dropout.forward(scores.softmax(-1));                               // returned after dropout, as in HF
        var attended = torch.matmul(probabilities, v);                                         // [B, heads, L, d]
        attended = attended.permute(0, 2, 1, 3);                                               // [B, L, heads, d]

        var context = torch.cat([attended, convHeads], 2).reshape(batch, length, -1);          // [B, L, 2·A = H]
        return (context.MoveToOuterDisposeScope(), probabilities.MoveToOuterDisposeScope());
    }

    private Tensor SplitHeads(Tensor x) =>
        x.view(x.size(0), x.size(1), heads, headSize).permute(0, 2, 1, 3);                     // [B, heads, L, d]
}
