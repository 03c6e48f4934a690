using Microsoft.ML.Data;
namespace Microsoft.ML.ConvDeberta.MLNet.Scoring;

/// <summary>
/// Row-at-a-time scoring for <c>CreatePredictionEngine</c>: the output row scores its input row when a prediction
/// column is first read, and reuses the result while the input texts stay the same.
/// </summary>
internal sealed class ScoringRowMapper(PretrainedTextTransformer parent, DataViewSchema inputSchema) : IRowToRowMapper
{
    private PretrainedTextTransformer Parent => parent;

    public DataViewSchema InputSchema => inputSchema;
    public DataViewSchema OutputSchema { get; } = parent.GetOutputSchema(inputSchema);

    public IEnumerable<DataViewSchema.Column> GetDependencies(IEnumerable<DataViewSchema.Column> dependingColumns)
    {
        var result = new List<DataViewSchema.Column>();
        bool scoring = false;
        foreach (var column in dependingColumns)
        {
            if (column.Index < inputSchema.Count) result.Add(inputSchema[column.Index]);
            else scoring = true;
        }
        if (scoring) result.AddRange(parent.TextColumns(inputSchema));
        return result.DistinctBy(c => c.Index).ToList();
    }

    public DataViewRow GetRow(DataViewRow input, IEnumerable<DataViewSchema.Column> activeColumns) =>
        new MappedRow(this, input, activeColumns.Select(c => c.Index).ToHashSet());

    private sealed class MappedRow(ScoringRowMapper mapper, DataViewRow input, HashSet<int> active) : DataViewRow
    {
        private readonly int inputCount = mapper.InputSchema.Count;
        private string? cached1, cached2;
        private Prediction cached;
        private bool hasCached;

        public override DataViewSchema Schema => mapper.OutputSchema;
        public override long Position => input.Position;
        public override long Batch => input.Batch;
        public override ValueGetter<DataViewRowId> GetIdGetter() => input.GetIdGetter();
        public override bool IsColumnActive(DataViewSchema.Column column) =>
            column.Index < inputCount ? input.IsColumnActive(mapper.InputSchema[column.Index]) : active.Contains(column.Index);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (column.Index < inputCount) return input.GetGetter<TValue>(mapper.InputSchema[column.Index]);
            var getter = OutputGetters.Create(mapper.Parent.Spec.Kind, column.Index - inputCount, Current);
            return OutputGetters.Typed<TValue>(getter, column.Name);
        }

        private Prediction Current()
        {
            var (s1, s2) = mapper.Parent.ReadTexts(input);
            if (!hasCached || s1 != cached1 || s2 != cached2)
            {
                cached = mapper.Parent.Predict([s1], s2 is null ? null : [s2])[0];
                (cached1, cached2, hasCached) = (s1, s2, true);
            }
            return cached;
        }
    }
}
