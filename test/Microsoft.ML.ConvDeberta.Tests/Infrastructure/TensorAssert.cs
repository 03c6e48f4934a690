using static TorchSharp.torch;

namespace Microsoft.ML.ConvDeberta.Tests.Infrastructure;

/// <summary>The reference's comparison rule: |got - ref| ≤ atol + rtol · max|ref|, element-wise.</summary>
public static class TensorAssert
{
    public static void Close(Tensor expected, Tensor actual, double atol, double rtol, string what)
    {
        CollectionAssert.AreEqual(expected.shape, actual.shape, $"{what}: shape [{string.Join(",", actual.shape)}], expected [{string.Join(",", expected.shape)}]");
        using var e = expected.to(ScalarType.Float64).cpu();
        using var a = actual.detach().to(ScalarType.Float64).cpu();
        double maxRef = e.numel() == 0 ? 0 : e.abs().max().item<double>();
        double bound = atol + rtol * maxRef;
        using var diff = (a - e).abs();
        double maxDiff = diff.numel() == 0 ? 0 : diff.max().item<double>();
        if (!(maxDiff <= bound))
        {
            long index = diff.reshape(-1).argmax().item<long>();
            Assert.Fail($"{what}: max |diff| {maxDiff:G6} > {bound:G6} (atol {atol}, rtol {rtol}, max|ref| {maxRef:G6}); " +
                        $"at flat index {index}: got {a.reshape(-1)[index].item<double>():G9}, expected {e.reshape(-1)[index].item<double>():G9}");
        }
    }
}
