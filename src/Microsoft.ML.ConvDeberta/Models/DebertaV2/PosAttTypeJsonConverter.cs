using System.Text.Json;
using System.Text.Json.Serialization;

namespace Microsoft.ML.ConvDeberta.Models.DebertaV2;

/// <summary>
/// Reads <c>pos_att_type</c> in both forms Hugging Face accepts: a JSON list (<c>["p2c", "c2p"]</c>, what
/// <c>save_pretrained</c> writes) or the "p2c|c2p" string of the original microsoft/* configs (lower-cased,
/// split on '|', trimmed, as <c>DebertaV2Config.__init__</c> does). Writes the list form.
/// </summary>
internal sealed class PosAttTypeJsonConverter : JsonConverter<IReadOnlyList<string>?>
{
    public override bool HandleNull => true;

    public override IReadOnlyList<string>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.String:
                return reader.GetString()!.ToLowerInvariant().Split('|', StringSplitOptions.TrimEntries);
            case JsonTokenType.StartArray:
                var items = new List<string>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (reader.TokenType != JsonTokenType.String)
                        throw new JsonException("'pos_att_type' must be a list of strings such as [\"p2c\", \"c2p\"] or a string such as \"p2c|c2p\".");
                    items.Add(reader.GetString()!);
                }
                return items;
            default:
                throw new JsonException("'pos_att_type' must be a list of strings such as [\"p2c\", \"c2p\"] or a string such as \"p2c|c2p\".");
        }
    }

    public override void Write(Utf8JsonWriter writer, IReadOnlyList<string>? value, JsonSerializerOptions options)
    {
        if (value is null) { writer.WriteNullValue(); return; }
        writer.WriteStartArray();
        foreach (var item in value) writer.WriteStringValue(item);
        writer.WriteEndArray();
    }
}
