using System.Text.Json;

namespace Microsoft.ML.ConvDeberta.Models;

/// <summary>Reads a Hugging Face <c>config.json</c> into the typed record of its family.</summary>
public static class ModelConfigs
{
    /// <summary>
    /// Loads <c>config.json</c> from a checkpoint folder (or the file itself) and dispatches on
    /// <c>model_type</c> to the family's config record.
    /// </summary>
    /// <exception cref="FileNotFoundException">The folder has no config.json.</exception>
    /// <exception cref="InvalidDataException">The JSON is malformed, the model_type is unknown, or a key is invalid.</exception>
    public static PretrainedConfig Load(string folderOrFile)
    {
        var path = Directory.Exists(folderOrFile) ? Path.Combine(folderOrFile, "config.json") : folderOrFile;
        if (!File.Exists(path))
            throw new FileNotFoundException(
                $"Checkpoint folder '{folderOrFile}' has no config.json (expected a Hugging Face model folder with config.json and model.safetensors or pytorch_model.bin).", path);
        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>Parses config JSON text; <paramref name="source"/> names it in error messages.</summary>
    public static PretrainedConfig Parse(string json, string source = "config.json")
    {
        JsonDocument doc;
        try { doc = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip }); }
        catch (JsonException e) { throw new InvalidDataException($"{source} is not valid JSON: {e.Message}", e); }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
                throw new InvalidDataException($"{source} must hold a JSON object.");
            if (!doc.RootElement.TryGetProperty("model_type", out var typeElement) || typeElement.ValueKind != JsonValueKind.String)
                throw new InvalidDataException($"{source} has no 'model_type'; supported: {string.Join(", ", ModelFamilies.All.Select(f => f.ModelType))}.");
            var family = ModelFamilies.ForModelType(typeElement.GetString()!);
            PretrainedConfig config;
            try { config = (PretrainedConfig)doc.RootElement.Deserialize(family.ConfigType, ConfigSerialization.Options)!; }
            catch (JsonException e) { throw new InvalidDataException($"{source}: {e.Message}", e); }
            config.ExtraFields?.Remove("model_type");
            config.Validate();
            return config;
        }
    }
}
