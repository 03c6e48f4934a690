using static TorchSharp.torch;

namespace Microsoft.ML.ConvDeberta.Tests.Checkpoints;

/// <summary>Bit-exact comparison of state dicts (same keys, dtypes, shapes and values).</summary>
internal static class StateDictAssert
{
    public static void Identical(IReadOnlyDictionary<string, Tensor> expected, IReadOnlyDictionary<string, Tensor> actual, string what)
    {
        var missing = expected.Keys.Except(actual.Keys).Order(StringComparer.Ordinal).ToList();
        var extra = actual.Keys.Except(expected.Keys).Order(StringComparer.Ordinal).ToList();
        Assert.IsTrue(missing.Count == 0 && extra.Count == 0, $"{what}: missing [{string.Join(", ", missing)}], unexpected [{string.Join(", ", extra)}]");
        foreach (var (key, tensor) in expected)
            SameTensor(tensor, actual[key], $"{what}: {key}");
    }

    public static void SameTensor(Tensor expected, Tensor actual, string what)
    {
        Assert.AreEqual(expected.dtype, actual.dtype, $"{what}: dtype");
        CollectionAssert.AreEqual(expected.shape, actual.shape, $"{what}: shape [{string.Join(",", actual.shape)}] vs [{string.Join(",", expected.shape)}]");
        // Compare the raw bytes so that NaN payloads and -0.0 count too.
        using var e = expected.contiguous();
        using var a = actual.contiguous();
        Assert.IsTrue(e.bytes.SequenceEqual(a.bytes), $"{what}: values differ");
    }

    public static void Dispose(IReadOnlyDictionary<string, Tensor>? stateDict)
    {
        if (stateDict == null) return;
        foreach (var tensor in stateDict.Values) tensor.Dispose();
    }
}
