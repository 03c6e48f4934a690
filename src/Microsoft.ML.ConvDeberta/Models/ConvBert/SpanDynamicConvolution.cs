using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.ConvDeberta.Models.ConvBert;

/// <summary>
/// ConvBERT's span-based dynamic convolution (Jiang et al. 2020, §3.2): the half of the heads that does not attend.
/// For every token, a convolution kernel over its k neighbours is generated from the token's <em>span</em> — the
/// query multiplied element-wise with a separable convolution of the keys — normalised with softmax, and applied to
/// a linear projection of the hidden states. Tokens near the ends read zero padding; padded tokens are read like
/// real ones (there is no mask here, exactly as in Hugging Face).
/// </summary>
internal static class SpanDynamicConvolution
{
    /// <summary>Computes the convolution heads' output.</summary>
    /// <param name="mixedQuery">Query projection [B, L, A] (A = heads · d).</param>
    /// <param name="mixedKeyConv">Separable convolution of the keys, channels last [B, L, A].</param>
    /// <param name="convInput">conv_out_layer(hidden_states) [B, L, A]: the values being convolved.</param>
    /// <param name="convKernelLayer">conv_kernel_layer: Linear(A → heads · k) producing the kernels.</param>
    /// <param name="heads">Number of convolution heads (= number of self-attention heads).</param>
    /// <param name="headSize">d, the width of one head.</param>
    /// <param name="kernelSize">k, odd.</param>
    /// <returns>[B, L, heads, d]</returns>
    public static Tensor Forward(Tensor mixedQuery, Tensor mixedKeyConv, Tensor convInput, Linear convKernelLayer,
                                 long heads, long headSize, long kernelSize)
    {
        using var scope = NewDisposeScope();
        long batch = mixedQuery.size(0), allHeadSize = heads * headSize;

        // Dynamic kernels from the span-aware query: one softmax-normalised kernel per token and head.
        var span = torch.mul(mixedKeyConv, mixedQuery);                          // [B, L, A]
        var kernels = convKernelLayer.forward(span);                             // [B, L, heads·k]
        kernels = kernels.reshape(-1, kernelSize, 1).softmax(1);                 // [B·L·heads, k, 1]

        // Sliding windows of k positions centred on each token (zero padding at both ends), as nn.Unfold([k, 1]).
        long pad = (kernelSize - 1) / 2;
        var padded = nn.functional.pad(convInput, [0, 0, pad, pad]);             // [B, L + k - 1, A]
        var windows = padded.unfold(1, kernelSize, 1);                           // [B, L, A, k]
        windows = windows.reshape(-1, headSize, kernelSize);                     // [B·L·heads, d, k]

        var output = torch.matmul(windows, kernels);                             // [B·L·heads, d, 1]
        output = output.reshape(-1, allHeadSize);                                // [B·L, A]
        return output.reshape(batch, -1, heads, headSize).MoveToOuterDisposeScope();   // [B, L, heads, d]
    }
}
