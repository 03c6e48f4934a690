using Microsoft.ML.ConvDeberta.Checkpoints.SafeTensors;
using Microsoft.ML.ConvDeberta.Models;
using TorchSharp;

namespace Microsoft.ML.ConvDeberta.Checkpoints;

/// <summary>
/// Creates the weights of a checkpoint folder that has only <c>config.json</c> (and tokenizer files): Hugging Face's
/// random initialisation of the bare encoder, written as <c>model.safetensors</c>. For training from scratch and for
/// samples that ship a configuration but no weights. Nothing produced here is pretrained.
/// </summary>
public static class UntrainedWeights
{
    /// <summary>
    /// Writes <c>model.safetensors</c> into <paramref name="folder"/> unless it already has weights.
    /// </summary>
    /// <param name="folder">A checkpoint folder with a config.json of a supported family.</param>
    /// <param name="seed">Seed of the random initialisation (same seed, same weights). Default 0.</param>
    /// <returns>True when weights were written; false when the folder already had weights.</returns>
    /// <example><code>UntrainedWeights.EnsureCreated("models/tiny-deberta-v3");</code></example>
    public static bool EnsureCreated(string folder, int seed = 0)
    {
        if (!Directory.Exists(folder))
            throw new DirectoryNotFoundException($"Checkpoint folder '{folder}' does not exist.");
        if (CheckpointFiles.WeightFileNames.Any(name => File.Exists(Path.Combine(folder, name)))) return false;
        var config = ModelConfigs.Load(folder);
        var family = ModelFamilies.ForModelType(config.ModelType);
        torch.random.manual_seed(seed);
        using var model = family.Create(config, TaskHead.Base);
        model.InitializeWeights();
        var target = Path.Combine(folder, "model.safetensors");
        var temporary = target + ".incomplete";
        // Written next to the target and renamed, so an interrupted run never leaves a half-written checkpoint.
        SafeTensorsWriter.Save(temporary, CheckpointWriter.WeightsToSave(model));
        File.Move(temporary, target, overwrite: true);
        return true;
    }
}
