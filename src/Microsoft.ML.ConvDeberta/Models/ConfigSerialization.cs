using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Microsoft.ML.ConvDeberta.Models;

/// <summary>JSON options shared by every config record (Hugging Face writes NaN-free, snake_case JSON).</summary>
internal static class ConfigSerialization
{
    internal static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    internal static string Serialize(PretrainedConfig config)
    {
        var node = JsonSerializer.SerializeToNode(config, config.GetType(), Options)!.AsObject();
        node["model_type"] = config.ModelType;
        return node.ToJsonString(Options);
    }
}
