using Microsoft.ML.ConvDeberta.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.ConvDeberta.Checkpoints;

/// <summary>
/// Copies a checkpoint's state dict into a task model, the way Hugging Face's <c>from_pretrained</c> does:
/// legacy key spellings are mapped, the encoder prefix is added or stripped (a base checkpoint loads into a
/// head model and vice versa), tied keys are re-tied rather than required, and task-head weights that the
/// checkpoint lacks are initialised and reported. Missing encoder weights and mis-shaped tensors are errors
/// that list every offending key, except that a caller starting a new task may ask for mis-shaped head weights (a
/// fine-tuned checkpoint's classifier with another number of labels) to be replaced, like Hugging Face's
/// <c>ignore_mismatched_sizes=True</c>.
/// </summary>
internal static class WeightLoader
{
    public static LoadReport Load(TaskModel model, IReadOnlyDictionary<string, Tensor> checkpoint, string source, bool replaceMismatchedHead = false)
    {
        var family = model.Family;
        var prefix = family.BasePrefix + ".";
        var modelState = model.state_dict();
        bool modelHasPrefix = model.Head != TaskHead.Base;

        // 1. Legacy names, ignorable keys.
        var mapped = new Dictionary<string, Tensor>();
        foreach (var (key, value) in checkpoint)
        {
            var name = family.MapLegacyKey(key);
            if (name != null) mapped[name] = value;
        }

        // 2. Prefix alignment: checkpoint keys with/without "deberta." vs. what the model expects.
        bool checkpointHasPrefix = mapped.Keys.Any(k => k.StartsWith(prefix, StringComparison.Ordinal));
        var aligned = new Dictionary<string, Tensor>();
        foreach (var (key, value) in mapped)
        {
            string name = key;
            if (modelHasPrefix && !checkpointHasPrefix && !modelState.ContainsKey(key)) name = prefix + key;
            else if (!modelHasPrefix && checkpointHasPrefix && key.StartsWith(prefix, StringComparison.Ordinal)) name = key[prefix.Length..];
            aligned[name] = value;
        }

        // 3. Compare with the model's keys.
        var tied = model.TiedWeights;
        var missingEncoder = new List<string>();
        var missingHead = new List<string>();
        var misShaped = new List<string>();
        var retied = new List<string>();
        var replaced = new List<string>();
        foreach (var (key, parameter) in modelState)
        {
            if (aligned.TryGetValue(key, out var value))
            {
                if (value.shape.SequenceEqual(parameter.shape)) continue;
                var shapes = $"{key}: checkpoint [{string.Join(", ", value.shape)}], model [{string.Join(", ", parameter.shape)}]";
                if (replaceMismatchedHead && !IsEncoderKey(key, modelHasPrefix, prefix))
                {
                    aligned.Remove(key);
                    missingHead.Add(key);
                    replaced.Add(shapes);
                }
                else misShaped.Add(shapes);
            }
            else if (tied.ContainsKey(key)) retied.Add(key);
            else if (IsEncoderKey(key, modelHasPrefix, prefix)) missingEncoder.Add(key);
            else missingHead.Add(key);
        }
        if (misShaped.Count > 0)
            throw new InvalidDataException(
                $"Checkpoint '{source}' does not fit the {model.GetType().Name} built from its config.json: {misShaped.Count} tensor(s) have the wrong shape:\n  " +
                string.Join("\n  ", misShaped) + "\nCheck that config.json belongs to these weights.");
        if (missingEncoder.Count > 0)
            throw new InvalidDataException(
                $"Checkpoint '{source}' lacks {missingEncoder.Count} encoder weight(s) that {model.GetType().Name} needs:\n  " +
                string.Join("\n  ", missingEncoder.Take(50)) + (missingEncoder.Count > 50 ? "\n  …" : "") +
                "\nThe file may be truncated, from another architecture, or its config.json may not match.");
        var unexpected = aligned.Keys.Where(k => !modelState.ContainsKey(k)).OrderBy(k => k, StringComparer.Ordinal).ToList();

        // 4. Copy. Parameters keep the model's dtype and device; copy_ converts from the checkpoint's storage dtype.
        using (torch.no_grad())
        {
            foreach (var (key, parameter) in modelState)
                if (aligned.TryGetValue(key, out var value))
                    parameter.copy_(value);
        }
        if (missingHead.Count > 0) model.InitializeWeights(missingHead);
        return new LoadReport(missingHead, unexpected, retied) { StorageDType = CheckpointWriter.StorageDType(checkpoint), ReplacedHead = replaced };
    }

    private static bool IsEncoderKey(string key, bool modelHasPrefix, string prefix) =>
        !modelHasPrefix || key.StartsWith(prefix, StringComparison.Ordinal);
}
