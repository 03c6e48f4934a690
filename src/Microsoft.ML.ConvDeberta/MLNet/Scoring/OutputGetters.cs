using Microsoft.ML.Data;

namespace Microsoft.ML.ConvDeberta.MLNet.Scoring;

/// <summary>Value getters for the added columns, reading the current row's <see cref="Prediction"/>.</summary>
internal static class OutputGetters
{
    /// <param name="kind">Binary, multiclass or regression.</param>
    /// <param name="output">Index among the added columns (order of <c>OutputColumns.Names</c>).</param>
    /// <param name="current">Returns the prediction of the cursor's current row.</param>
    public static Delegate Create(PredictionKind kind, int output, Func<Prediction> current) => (kind, output) switch
    {
        (PredictionKind.Binary, 0) or (PredictionKind.Regression, 0) => (ValueGetter<float>)((ref float v) => v = current().Score),
        (PredictionKind.Binary, 1) => (ValueGetter<float>)((ref float v) => v = current().Probability),
        (PredictionKind.Binary, 2) => (ValueGetter<bool>)((ref bool v) => v = current().PredictedBool),
        (PredictionKind.Multiclass, 0) => (ValueGetter<VBuffer<float>>)((ref VBuffer<float> v) =>
        {
            var scores = current().Scores!;
            var editor = VBufferEditor.Create(ref v, scores.Length);
            scores.CopyTo(editor.Values);
            v = editor.Commit();
        }),
        (PredictionKind.Multiclass, 1) => (ValueGetter<uint>)((ref uint v) => v = current().PredictedKey),
        _ => throw new ArgumentOutOfRangeException(nameof(output)),
    };

    public static ValueGetter<T> Typed<T>(Delegate getter, string column) =>
        getter as ValueGetter<T> ?? throw new InvalidOperationException(
            $"Invalid TValue in GetGetter for column '{column}': {typeof(T).Name} does not match the column's type.");
}
