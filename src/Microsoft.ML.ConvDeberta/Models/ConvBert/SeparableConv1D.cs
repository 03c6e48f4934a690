using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.ConvDeberta.Models.ConvBert;

/// <summary>
/// Hugging Face <c>SeparableConv1D</c>: a depthwise convolution over the sequence (one filter per channel, centred,
/// zero padding) followed by a pointwise (1×1) convolution and a bias. Keys: <c>depthwise.weight</c> [C_in, 1, k],
/// <c>pointwise.weight</c> [C_out, C_in, 1], <c>bias</c> [C_out, 1].
/// </summary>
internal sealed class SeparableConv1D : nn.Module<Tensor, Tensor>
{
    public readonly Conv1d depthwise;
    public readonly Conv1d pointwise;
    public readonly Parameter bias;

    public SeparableConv1D(long inputFilters, long outputFilters, long kernelSize) : base(nameof(SeparableConv1D))
    {
        depthwise = nn.Conv1d(inputFilters, inputFilters, kernelSize, padding: kernelSize / 2, groups: inputFilters, bias: false);
        pointwise = nn.Conv1d(inputFilters, outputFilters, 1, bias: false);
        bias = nn.Parameter(torch.zeros(outputFilters, 1));
        RegisterComponents();
    }

    /// <param name="hiddenStates">[B, C_in, L] (channels first).</param>
    /// <returns>[B, C_out, L]</returns>
    public override Tensor forward(Tensor hiddenStates)
    {
        using var scope = NewDisposeScope();
        var x = depthwise.forward(hiddenStates);   // [B, C_in, L]
        x = pointwise.forward(x);                 // [B, C_out, L]
        return (x + bias).MoveToOuterDisposeScope();
    }

    /// <summary>Hugging Face's construction-time init: both convolution kernels ~ N(0, std), bias 0.</summary>
    public void Initialize(double std, Func<string, bool> wanted)
    {
        using var noGrad = torch.no_grad();
        if (wanted("depthwise.weight")) nn.init.normal_(depthwise.weight!, 0, std);
        if (wanted("pointwise.weight")) nn.init.normal_(pointwise.weight!, 0, std);
        if (wanted("bias")) nn.init.zeros_(bias);
    }
}
