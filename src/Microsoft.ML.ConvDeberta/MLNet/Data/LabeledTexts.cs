using Microsoft.ML.ConvDeberta.MLNet.Schema;
using Microsoft.ML.Data;

namespace Microsoft.ML.ConvDeberta.MLNet.Data;

/// <summary>
/// The texts and labels of a training or validation <see cref="IDataView"/>, read in one pass and checked:
/// a missing key label (0), a key outside the label's range and a NaN/infinite regression label are errors naming
/// the row. Missing text is read as an empty string (it is encoded as the special tokens alone).
/// </summary>
internal sealed record LabeledTexts(string[] Sentence1, string[]? Sentence2, long[]? ClassIds, float[]? Targets)
{
    public int Count => Sentence1.Length;

    public static LabeledTexts Read(IDataView data, TextModelSpec spec, string what, Func<bool> isCanceled)
    {
        var text1 = ColumnChecks.Text(data.Schema, spec.Sentence1Column);
        var text2 = spec.Sentence2Column is { } s2 ? ColumnChecks.Text(data.Schema, s2) : (DataViewSchema.Column?)null;
        var label = ColumnChecks.Label(data.Schema, spec.LabelColumn, spec.Kind);
        var columns = new List<DataViewSchema.Column> { text1, label };
        if (text2 is { } t2) columns.Add(t2);

        var s1 = new List<string>(); var s2List = text2 is null ? null : new List<string>();
        var classes = spec.Kind == PredictionKind.Regression ? null : new List<long>();
        var targets = spec.Kind == PredictionKind.Regression ? new List<float>() : null;
        using var cursor = data.GetRowCursor(columns);
        var get1 = cursor.GetGetter<ReadOnlyMemory<char>>(text1);
        var get2 = text2 is { } c2 ? cursor.GetGetter<ReadOnlyMemory<char>>(c2) : null;
        var getLabel = LabelGetter(cursor, label, spec, what);
        ReadOnlyMemory<char> value = default;
        long row = 0;
        while (cursor.MoveNext())
        {
            if ((row & 255) == 0 && isCanceled()) throw new OperationCanceledException("Reading the training data was cancelled.");
            get1(ref value); s1.Add(value.ToString());
            if (get2 != null) { get2(ref value); s2List!.Add(value.ToString()); }
            double y = getLabel(row);
            if (classes != null) classes.Add((long)y); else targets!.Add((float)y);
            row++;
        }
        return new LabeledTexts([.. s1], s2List?.ToArray(), classes?.ToArray(), targets?.ToArray());
    }

    /// <summary>Returns a getter of the label as a class id (0-based) or regression target, validating each row.</summary>
    private static Func<long, double> LabelGetter(DataViewRowCursor cursor, DataViewSchema.Column label, TextModelSpec spec, string what)
    {
        string name = spec.LabelColumn;
        switch (spec.Kind)
        {
            case PredictionKind.Binary:
            {
                var get = cursor.GetGetter<bool>(label);
                bool value = false;
                return _ => { get(ref value); return value ? 1 : 0; };
            }
            case PredictionKind.Regression:
            {
                var get = cursor.GetGetter<float>(label);
                float value = 0;
                return row =>
                {
                    get(ref value);
                    if (!float.IsFinite(value))
                        throw new InvalidOperationException($"Row {row} of the {what} data has label {value} in column '{name}': regression labels must be finite numbers. Remove or fix these rows (e.g. mlContext.Data.FilterRowsByMissingValues).");
                    return value;
                };
            }
            default:
            {
                var keyType = (KeyDataViewType)label.Type;
                ulong count = keyType.Count;
                var raw = KeyReader(cursor, label);
                return row =>
                {
                    ulong key = raw();
                    if (key == 0)
                        throw new InvalidOperationException($"Row {row} of the {what} data has a missing label (key value 0) in column '{name}'. Every row needs a label: remove unlabeled rows or check the MapValueToKey dictionary.");
                    if (key > (ulong)spec.ClassNames.Count || key > count)
                        throw new InvalidOperationException($"Row {row} of the {what} data has label key {key} in column '{name}', outside the {spec.ClassNames.Count} classes the model was set up with. Map validation labels with the same MapValueToKey transformer as the training labels.");
                    return key - 1;
                };
            }
        }
    }

    private static Func<ulong> KeyReader(DataViewRowCursor cursor, DataViewSchema.Column label)
    {
        var raw = label.Type.RawType;
        if (raw == typeof(uint)) { var g = cursor.GetGetter<uint>(label); uint v = 0; return () => { g(ref v); return v; }; }
        if (raw == typeof(ulong)) { var g = cursor.GetGetter<ulong>(label); ulong v = 0; return () => { g(ref v); return v; }; }
        if (raw == typeof(ushort)) { var g = cursor.GetGetter<ushort>(label); ushort v = 0; return () => { g(ref v); return v; }; }
        { var g = cursor.GetGetter<byte>(label); byte v = 0; return () => { g(ref v); return v; }; }
    }

    /// <summary>Class names from the label's KeyValues annotation (as text), or "0".."n-1" when it has none.</summary>
    public static string[] ClassNames(DataViewSchema.Column label)
    {
        int count = (int)((KeyDataViewType)label.Type).Count;
        var annotation = label.Annotations.Schema.GetColumnOrNull("KeyValues");
        if (annotation is { } column && column.Type is VectorDataViewType { ItemType: TextDataViewType })
        {
            VBuffer<ReadOnlyMemory<char>> values = default;
            label.Annotations.GetValue("KeyValues", ref values);
            var dense = values.DenseValues().Select(v => v.ToString()).ToArray();
            if (dense.Length == count) return dense;
        }
        else if (annotation is { } other && other.Type is VectorDataViewType vector)
        {
            return KeyValuesAsText(label, vector, count);
        }
        return Enumerable.Range(0, count).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
    }

    private static string[] KeyValuesAsText(DataViewSchema.Column label, VectorDataViewType vector, int count)
    {
        var method = typeof(LabeledTexts).GetMethod(nameof(ReadValues), System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.NonPublic)!
            .MakeGenericMethod(vector.ItemType.RawType);
        var names = (string[])method.Invoke(null, [label])!;
        return names.Length == count ? names : Enumerable.Range(0, count).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
    }

    private static string[] ReadValues<T>(DataViewSchema.Column label)
    {
        VBuffer<T> values = default;
        label.Annotations.GetValue("KeyValues", ref values);
        return values.DenseValues().Select(v => Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture) ?? "").ToArray();
    }
}
