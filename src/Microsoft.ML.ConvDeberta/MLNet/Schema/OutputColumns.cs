using Microsoft.ML.ConvDeberta.MLNet.Interop;
using Microsoft.ML.Data;

namespace Microsoft.ML.ConvDeberta.MLNet.Schema;

/// <summary>
/// The columns a trained model adds, exactly like ML.NET's own predictors: binary → Score, Probability,
/// PredictedLabel (Boolean); multiclass → Score (vector of class probabilities with SlotNames) and PredictedLabel
/// (key with KeyValues, so MapKeyToValue works); regression → Score.
/// </summary>
internal static class OutputColumns
{
    public const string Score = "Score";
    public const string Probability = "Probability";
    public const string PredictedLabel = "PredictedLabel";

    /// <summary>Names of the added columns, in schema order.</summary>
    public static string[] Names(PredictionKind kind) => kind switch
    {
        PredictionKind.Binary => [Score, Probability, PredictedLabel],
        PredictionKind.Multiclass => [Score, PredictedLabel],
        _ => [Score],
    };

    /// <summary>The input schema followed by the added columns (which hide input columns of the same name).</summary>
    public static DataViewSchema Append(DataViewSchema input, PredictionKind kind, IReadOnlyList<string> classNames)
    {
        var builder = new DataViewSchema.Builder();
        builder.AddColumns(input);
        switch (kind)
        {
            case PredictionKind.Binary:
                builder.AddColumn(Score, NumberDataViewType.Single);
                builder.AddColumn(Probability, NumberDataViewType.Single);
                builder.AddColumn(PredictedLabel, BooleanDataViewType.Instance);
                break;
            case PredictionKind.Multiclass:
                builder.AddColumn(Score, new VectorDataViewType(NumberDataViewType.Single, classNames.Count), Names("SlotNames", classNames));
                builder.AddColumn(PredictedLabel, new KeyDataViewType(typeof(uint), classNames.Count), Names("KeyValues", classNames));
                break;
            default:
                builder.AddColumn(Score, NumberDataViewType.Single);
                break;
        }
        return builder.ToSchema();
    }

    /// <summary>The same columns as the <see cref="DataViewSchema"/> overload of <c>Append</c>, as a <see cref="SchemaShape"/> for estimator schema propagation.</summary>
    public static SchemaShape Append(SchemaShape input, PredictionKind kind)
    {
        var columns = input.ToDictionary(c => c.Name);
        var scalar = SchemaShape.Column.VectorKind.Scalar;
        var textVector = new SchemaShape([]);
        switch (kind)
        {
            case PredictionKind.Binary:
                columns[Score] = MLNetInternals.Column(Score, scalar, NumberDataViewType.Single, false);
                columns[Probability] = MLNetInternals.Column(Probability, scalar, NumberDataViewType.Single, false);
                columns[PredictedLabel] = MLNetInternals.Column(PredictedLabel, scalar, BooleanDataViewType.Instance, false);
                break;
            case PredictionKind.Multiclass:
                var slotNames = new SchemaShape([MLNetInternals.Column("SlotNames", SchemaShape.Column.VectorKind.Vector, TextDataViewType.Instance, false)]);
                var keyValues = new SchemaShape([MLNetInternals.Column("KeyValues", SchemaShape.Column.VectorKind.Vector, TextDataViewType.Instance, false)]);
                columns[Score] = MLNetInternals.Column(Score, SchemaShape.Column.VectorKind.Vector, NumberDataViewType.Single, false, slotNames);
                columns[PredictedLabel] = MLNetInternals.Column(PredictedLabel, scalar, NumberDataViewType.UInt32, true, keyValues);
                break;
            default:
                columns[Score] = MLNetInternals.Column(Score, scalar, NumberDataViewType.Single, false);
                break;
        }
        return new SchemaShape(columns.Values);
    }

    private static DataViewSchema.Annotations Names(string kind, IReadOnlyList<string> names)
    {
        var builder = new DataViewSchema.Annotations.Builder();
        var values = names.Select(n => n.AsMemory()).ToArray();
        builder.Add(kind, new VectorDataViewType(TextDataViewType.Instance, names.Count),
            (ref VBuffer<ReadOnlyMemory<char>> value) => value = new VBuffer<ReadOnlyMemory<char>>(values.Length, (ReadOnlyMemory<char>[])values.Clone()));
        return builder.ToAnnotations();
    }
}
