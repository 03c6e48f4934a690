using Microsoft.ML.Data;

namespace Microsoft.ML.ConvDeberta.MLNet.Schema;

/// <summary>
/// Input-column validation with ML.NET's own wording ("Could not find input column 'X'", "Schema mismatch for input
/// column 'X': expected …, got …"), both for <see cref="SchemaShape"/> (estimators) and <see cref="DataViewSchema"/> (transformers).
/// </summary>
internal static class ColumnChecks
{
    public static DataViewSchema.Column Text(DataViewSchema schema, string name)
    {
        var column = Find(schema, name);
        if (column.Type is not TextDataViewType) throw Mismatch(name, "String", column.Type.ToString() ?? column.Type.GetType().Name);
        return column;
    }

    public static DataViewSchema.Column Label(DataViewSchema schema, string name, PredictionKind kind)
    {
        var column = Find(schema, name);
        bool ok = kind switch
        {
            PredictionKind.Binary => column.Type is BooleanDataViewType,
            PredictionKind.Multiclass => column.Type is KeyDataViewType,
            _ => column.Type == NumberDataViewType.Single,
        };
        if (!ok) throw Mismatch(name, ExpectedLabel(kind), column.Type.ToString() ?? column.Type.GetType().Name);
        return column;
    }

    public static void Text(SchemaShape shape, string name)
    {
        var column = Find(shape, name);
        if (column.Kind != SchemaShape.Column.VectorKind.Scalar || column.ItemType is not TextDataViewType || column.IsKey)
            throw Mismatch(name, "String", Describe(column));
    }

    public static void Label(SchemaShape shape, string name, PredictionKind kind)
    {
        var column = Find(shape, name);
        bool scalar = column.Kind == SchemaShape.Column.VectorKind.Scalar;
        bool ok = kind switch
        {
            PredictionKind.Binary => scalar && !column.IsKey && column.ItemType is BooleanDataViewType,
            PredictionKind.Multiclass => scalar && column.IsKey,
            _ => scalar && !column.IsKey && column.ItemType == NumberDataViewType.Single,
        };
        if (!ok) throw Mismatch(name, ExpectedLabel(kind), Describe(column));
    }

    private static string Describe(SchemaShape.Column column)
    {
        var item = column.IsKey ? "Key" : column.ItemType?.ToString() ?? "?";
        return column.Kind == SchemaShape.Column.VectorKind.Scalar ? item : $"Vector<{item}>";
    }

    private static string ExpectedLabel(PredictionKind kind) => kind switch
    {
        PredictionKind.Binary => "Boolean",
        PredictionKind.Multiclass => "Key (use mlContext.Transforms.Conversion.MapValueToKey on the label first)",
        _ => "Single",
    };

    private static DataViewSchema.Column Find(DataViewSchema schema, string name) =>
        schema.GetColumnOrNull(name) is { } column && !column.IsHidden ? column : throw NotFound(name);

    private static SchemaShape.Column Find(SchemaShape shape, string name)
    {
        foreach (var column in shape)
            if (column.Name == name) return column;
        throw NotFound(name);
    }

    private static ArgumentOutOfRangeException NotFound(string name) =>
        new("inputSchema", $"Could not find input column '{name}'");

    private static ArgumentOutOfRangeException Mismatch(string name, string expected, string actual) =>
        new("inputSchema", $"Schema mismatch for input column '{name}': expected {expected}, got {actual}");
}
