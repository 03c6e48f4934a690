using TorchSharp;

namespace Microsoft.ML.ConvDeberta.Tests.Build;

/// <summary>Proves the build's libstdc++ fix lets TorchSharp's native library load on this machine.</summary>
[TestClass]
public class NativeBackendTests
{
    [TestMethod]
    public void TorchSharpNativeLibraryLoadsAndComputes()
    {
        using var a = torch.ones(2, 3);
        using var b = torch.ones(3, 2);
        using var c = torch.matmul(a, b);
        Assert.AreEqual(3f, c[0, 0].item<float>());
    }
}
