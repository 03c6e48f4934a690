using Microsoft.ML.ConvDeberta.Checkpoints;

namespace Microsoft.ML.ConvDeberta.Models;

/// <summary>Builds task models from Hugging Face checkpoint folders (the equivalent of <c>AutoModelForXxx.from_pretrained</c>).</summary>
internal static class PretrainedModels
{
    /// <summary>Loads config and weights from <paramref name="folder"/> into a model with the requested head.</summary>
    /// <param name="folder">A local checkpoint folder or a Hugging Face Hub id (downloaded into the shared cache).</param>
    /// <param name="head">The task head to build.</param>
    /// <param name="configOverride">Adjusts the config before the model is built (e.g. number of labels).</param>
    public static (TaskModel Model, LoadReport Report) Load(string folder, TaskHead head, Func<PretrainedConfig, PretrainedConfig>? configOverride = null)
    {
        folder = Hub.CheckpointFolders.Resolve(folder);
        var config = ModelConfigs.Load(folder);
        return Load(folder, configOverride is null ? config : configOverride(config), head);
    }

    /// <summary>Builds the model from a config the caller has already read (and adjusted) and loads the folder's weights.</summary>
    /// <param name="folder">A local checkpoint folder (already resolved).</param>
    /// <param name="config">The model's config, e.g. from <see cref="ModelConfigs.Load"/> with a new head's labels.</param>
    /// <param name="head">The task head to build.</param>
    /// <param name="replaceMismatchedHead">Initialise head weights whose checkpoint shape does not fit (a new task on a fine-tuned checkpoint) instead of failing.</param>
    public static (TaskModel Model, LoadReport Report) Load(string folder, PretrainedConfig config, TaskHead head, bool replaceMismatchedHead = false)
    {
        var family = ModelFamilies.ForModelType(config.ModelType);
        var model = family.Create(config, head);
        var stateDict = CheckpointFiles.LoadStateDict(folder);
        try
        {
            var report = WeightLoader.Load(model, stateDict, folder, replaceMismatchedHead);
            model.eval();
            return (model, report);
        }
        catch
        {
            model.Dispose();
            throw;
        }
        finally
        {
            foreach (var tensor in stateDict.Values) tensor.Dispose();
        }
    }
}
