using System.IO.Compression;

namespace Microsoft.ML.ConvDeberta.Tests.Checkpoints;

/// <summary>Builds altered copies of torch.save zip files for the reader's tests.</summary>
internal static class TorchZipFiles
{
    /// <summary>
    /// Copies a zip entry by entry: <paramref name="edit"/> gets (name, bytes) and returns the new (name, bytes),
    /// or null to drop the entry.
    /// </summary>
    public static void Rewrite(string source, string destination, Func<string, byte[], (string Name, byte[] Bytes)?> edit,
        CompressionLevel compression = CompressionLevel.NoCompression)
    {
        using var input = ZipFile.OpenRead(source);
        using var output = ZipFile.Open(destination, ZipArchiveMode.Create);
        foreach (var entry in input.Entries)
        {
            using var stream = entry.Open();
            var bytes = new byte[entry.Length];
            stream.ReadExactly(bytes);
            if (edit(entry.FullName, bytes) is not { } replaced) continue;
            using var target = output.CreateEntry(replaced.Name, compression).Open();
            target.Write(replaced.Bytes);
        }
    }

    /// <summary>A zip holding only <c>&lt;prefix&gt;/data.pkl</c> with the given pickle bytes (plus optional records).</summary>
    public static void WritePickle(string destination, byte[] pickle, IReadOnlyDictionary<string, byte[]>? records = null, string prefix = "archive/")
    {
        using var output = ZipFile.Open(destination, ZipArchiveMode.Create);
        using (var s = output.CreateEntry(prefix + "data.pkl", CompressionLevel.NoCompression).Open()) s.Write(pickle);
        foreach (var (name, bytes) in records ?? new Dictionary<string, byte[]>())
        {
            using var s = output.CreateEntry(prefix + name, CompressionLevel.NoCompression).Open();
            s.Write(bytes);
        }
    }

    /// <summary>Pickle bytes from a readable notation: text with \xNN escapes (as Python prints bytes).</summary>
    public static byte[] Bytes(string escaped)
    {
        var result = new List<byte>();
        for (int i = 0; i < escaped.Length; i++)
        {
            if (escaped[i] == '\\' && i + 3 < escaped.Length && escaped[i + 1] == 'x')
            {
                result.Add(Convert.ToByte(escaped.Substring(i + 2, 2), 16));
                i += 3;
            }
            else result.Add((byte)escaped[i]);
        }
        return result.ToArray();
    }
}
