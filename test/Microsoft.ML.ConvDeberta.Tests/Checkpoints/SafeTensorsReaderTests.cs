using System.Text;
using Microsoft.ML.ConvDeberta.Checkpoints.SafeTensors;
using Microsoft.ML.ConvDeberta.Tests.Infrastructure;

namespace Microsoft.ML.ConvDeberta.Tests.Checkpoints;

/// <summary>Damaged safetensors files must fail with a message naming the file and the problem.</summary>
[TestClass]
public class SafeTensorsReaderTests
{
    private static string ReferenceFile() => SharedData.Reference("models", "convbert_g1", "base", "model.safetensors");

    private static string Write(TempFolder temp, byte[] bytes)
    {
        var path = Path.Combine(temp.Path, "model.safetensors");
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>A file with the given header JSON (padded) followed by <paramref name="dataBytes"/> zero bytes.</summary>
    private static byte[] Handmade(string header, int dataBytes)
    {
        var json = Encoding.UTF8.GetBytes(header);
        return [.. BitConverter.GetBytes((long)json.Length), .. json, .. new byte[dataBytes]];
    }

    private static string LoadError(string path) => Assert.ThrowsExactly<InvalidDataException>(() => SafeTensorsReader.Load(path)).Message;

    [TestMethod]
    public void TruncatedDataIsReported()
    {
        using var temp = new TempFolder();
        var bytes = File.ReadAllBytes(ReferenceFile());
        var path = Write(temp, bytes[..^100]);
        var message = LoadError(path);
        StringAssert.Contains(message, "is truncated: tensor");
        StringAssert.Contains(message, path);
    }

    [TestMethod]
    public void FileShorterThanTheLengthPrefixIsReported()
    {
        using var temp = new TempFolder();
        StringAssert.Contains(LoadError(Write(temp, [1, 2, 3])), "shorter than the 8-byte header length");
    }

    [TestMethod]
    public void HeaderLongerThanTheFileIsReported()
    {
        using var temp = new TempFolder();
        var bytes = File.ReadAllBytes(ReferenceFile());
        StringAssert.Contains(LoadError(Write(temp, bytes[..200])), "does not fit the file");
    }

    [TestMethod]
    public void CorruptHeaderJsonIsReported()
    {
        using var temp = new TempFolder();
        var bytes = File.ReadAllBytes(ReferenceFile());
        bytes[8 + 1] = (byte)'x'; // {x__metadata__"…: not JSON
        StringAssert.Contains(LoadError(Write(temp, bytes)), "corrupt JSON header");
    }

    [TestMethod]
    public void ByteRangeNotMatchingTheShapeIsReported()
    {
        using var temp = new TempFolder();
        var path = Write(temp, Handmade("{\"w\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,20]}}", 20));
        StringAssert.Contains(LoadError(path), "tensor 'w' has 20 bytes but shape [2, 3] of F32 needs 24");
    }

    [TestMethod]
    [DataRow("[-1]", DisplayName = "negative dimension")]
    [DataRow("[4294967296,4294967296,4294967296]", DisplayName = "overflowing element count")]
    public void InvalidShapeIsReported(string shape)
    {
        using var temp = new TempFolder();
        var path = Write(temp, Handmade("{\"w\":{\"dtype\":\"F32\",\"shape\":" + shape + ",\"data_offsets\":[0,0]}}", 0));
        StringAssert.Contains(LoadError(path), "tensor 'w' has an invalid shape");
    }

    [TestMethod]
    public void MalformedEntryIsReported()
    {
        using var temp = new TempFolder();
        var path = Write(temp, Handmade("{\"w\":{\"dtype\":\"F32\",\"shape\":[2]}}", 8));
        StringAssert.Contains(LoadError(path), "header entry 'w' is malformed");
    }

    [TestMethod]
    public void UnsupportedDTypeIsNamed()
    {
        using var temp = new TempFolder();
        var path = Write(temp, Handmade("{\"w\":{\"dtype\":\"C64\",\"shape\":[1],\"data_offsets\":[0,8]}}", 8));
        StringAssert.Contains(LoadError(path), "unsupported dtype 'C64'");
    }

    [TestMethod]
    public void MissingFileIsNamed()
    {
        var error = Assert.ThrowsExactly<FileNotFoundException>(() => SafeTensorsReader.Load("/nonexistent/model.safetensors"));
        StringAssert.Contains(error.Message, "/nonexistent/model.safetensors");
    }
}
