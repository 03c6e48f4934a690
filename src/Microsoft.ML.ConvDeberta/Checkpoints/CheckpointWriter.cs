using System.Text.Json;
using Microsoft.ML.ConvDeberta.Checkpoints.SafeTensors;
using Microsoft.ML.ConvDeberta.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.ConvDeberta.Checkpoints;

/// <summary>
/// Saves a model as a Hugging Face checkpoint folder, like <c>save_pretrained(dir, safe_serialization=True)</c>:
/// <c>config.json</c> and <c>model.safetensors</c>, with tied duplicates (e.g. the masked-LM decoder that aliases the
/// word embeddings) left out, so that transformers and this library both load the folder unchanged.
/// </summary>
internal static class CheckpointWriter
{
    /// <summary>Writes <paramref name="config"/> and the weights of <paramref name="model"/> into <paramref name="folder"/>.</summary>
    /// <param name="folder">Target folder (created if missing).</param>
    /// <param name="model">The model whose weights are written.</param>
    /// <param name="config">The config written as config.json.</param>
    /// <param name="dtype">
    /// Storage dtype for floating-point weights (e.g. <see cref="ScalarType.BFloat16"/> to keep a bf16 checkpoint bf16);
    /// null keeps each parameter's own dtype. Integer buffers are never converted.
    /// </param>
    public static void Save(string folder, TaskModel model, PretrainedConfig config, ScalarType? dtype = null)
    {
        if (dtype is { } d && d is not (ScalarType.Float32 or ScalarType.BFloat16 or ScalarType.Float16 or ScalarType.Float64))
            throw new ArgumentException($"Cannot store weights as {d}: choose a floating-point dtype (Float32, BFloat16, Float16).", nameof(dtype));
        Directory.CreateDirectory(folder);
        var state = WeightsToSave(model);
        var converted = new Dictionary<string, Tensor>(state.Count);
        using (torch.no_grad())
        {
            foreach (var (key, tensor) in state)
                converted[key] = dtype is { } target && tensor.is_floating_point() ? tensor.to(target) : tensor.alias();
        }
        try
        {
            var storedAs = dtype ?? state.Values.Where(t => t.is_floating_point()).Select(t => t.dtype).FirstOrDefault(ScalarType.Float32);
            File.WriteAllText(Path.Combine(folder, "config.json"), WithSaveFields(config, model, storedAs).ToJson());
            SafeTensorsWriter.Save(Path.Combine(folder, "model.safetensors"), converted);
        }
        finally
        {
            foreach (var tensor in converted.Values) tensor.Dispose();
        }
    }

    /// <summary>The model's state dict without the keys that alias another one (Hugging Face omits them too).</summary>
    public static Dictionary<string, Tensor> WeightsToSave(TaskModel model)
    {
        var state = model.state_dict();
        foreach (var (key, target) in model.TiedWeights)
            if (state.ContainsKey(target)) state.Remove(key);
        return state;
    }

    /// <summary>
    /// The floating-point dtype a loaded checkpoint stored its weights in (the most common one), or null when it has
    /// no floating-point tensors. Pass it to <see cref="Save"/> to write the checkpoint back in its own precision.
    /// </summary>
    public static ScalarType? StorageDType(IReadOnlyDictionary<string, Tensor> stateDict) =>
        stateDict.Values.Where(t => t.is_floating_point())
            .GroupBy(t => t.dtype).OrderByDescending(g => g.Sum(t => t.numel())).Select(g => (ScalarType?)g.Key).FirstOrDefault();

    /// <summary>The fields save_pretrained adds: <c>architectures</c> (the model's class) and <c>torch_dtype</c>.</summary>
    private static PretrainedConfig WithSaveFields(PretrainedConfig config, TaskModel model, ScalarType storedAs)
    {
        var extra = config.ExtraFields is null ? new Dictionary<string, JsonElement>() : new Dictionary<string, JsonElement>(config.ExtraFields);
        extra["torch_dtype"] = JsonSerializer.SerializeToElement(TorchDTypeName(storedAs));
        var className = model.Family.HeadsByClassName.Where(kv => kv.Value == model.Head).Select(kv => kv.Key).FirstOrDefault();
        return config with
        {
            ExtraFields = extra,
            Architectures = className is null ? config.Architectures : [className],
        };
    }

    private static string TorchDTypeName(ScalarType dtype) => dtype switch
    {
        ScalarType.Float32 => "float32",
        ScalarType.BFloat16 => "bfloat16",
        ScalarType.Float16 => "float16",
        ScalarType.Float64 => "float64",
        _ => dtype.ToString().ToLowerInvariant(),
    };
}
