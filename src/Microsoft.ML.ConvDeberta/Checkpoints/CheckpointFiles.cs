using Microsoft.ML.ConvDeberta.Checkpoints.PyTorch;
using Microsoft.ML.ConvDeberta.Checkpoints.SafeTensors;
using static TorchSharp.torch;

namespace Microsoft.ML.ConvDeberta.Checkpoints;

/// <summary>Finds and reads the weight files of a Hugging Face checkpoint folder.</summary>
internal static class CheckpointFiles
{
    /// <summary>The weight files looked for, in order of preference (as Hugging Face's <c>from_pretrained</c>).</summary>
    public static readonly IReadOnlyList<string> WeightFileNames =
    [
        "model.safetensors",
        "model.safetensors.index.json",
        "pytorch_model.bin",
        "pytorch_model.bin.index.json",
    ];

    /// <summary>
    /// Reads the folder's weights: <c>model.safetensors</c> (single or sharded) when present, otherwise
    /// <c>pytorch_model.bin</c> (single or sharded). A path to one weight file is read directly.
    /// Tensors keep the checkpoint's dtype; the caller owns (disposes) them.
    /// </summary>
    public static Dictionary<string, Tensor> LoadStateDict(string folder)
    {
        if (File.Exists(folder)) return LoadFile(folder);
        if (!Directory.Exists(folder))
            throw new DirectoryNotFoundException($"Checkpoint folder '{folder}' does not exist.");
        var file = FindWeights(folder);
        return LoadFile(file);
    }

    /// <summary>The weight file <see cref="LoadStateDict"/> reads in <paramref name="folder"/>; throws listing what was looked for.</summary>
    public static string FindWeights(string folder)
    {
        foreach (var name in WeightFileNames)
        {
            var path = Path.Combine(folder, name);
            if (File.Exists(path)) return path;
        }
        var present = Directory.EnumerateFiles(folder).Select(Path.GetFileName).OrderBy(n => n, StringComparer.Ordinal).Take(20).ToList();
        var hint = present.Any(n => n is "tf_model.h5" or "flax_model.msgpack")
            ? " It holds TensorFlow/Flax weights only; convert them to PyTorch or safetensors with transformers first."
            : "";
        throw new FileNotFoundException(
            $"Checkpoint folder '{folder}' has no weights: looked for {string.Join(", ", WeightFileNames)}. " +
            $"Found: {(present.Count == 0 ? "nothing" : string.Join(", ", present))}.{hint}");
    }

    /// <summary>Reads one weight file, choosing the reader from its name.</summary>
    public static Dictionary<string, Tensor> LoadFile(string path)
    {
        var name = Path.GetFileName(path);
        if (name.EndsWith(".index.json", StringComparison.OrdinalIgnoreCase))
            return ShardedCheckpoint.Load(path, name.Contains(".safetensors", StringComparison.OrdinalIgnoreCase) ? SafeTensorsReader.Load : PyTorchCheckpointReader.Load);
        if (name.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase)) return SafeTensorsReader.Load(path);
        if (name.EndsWith(".bin", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".pt", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".pth", StringComparison.OrdinalIgnoreCase))
            return PyTorchCheckpointReader.Load(path);
        throw new InvalidDataException($"'{path}' is not a known weight file (expected .safetensors, .bin, or a *.index.json shard index).");
    }
}
