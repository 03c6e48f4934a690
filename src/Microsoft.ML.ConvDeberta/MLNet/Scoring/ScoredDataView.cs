using Microsoft.ML.Data;
using Microsoft.ML.ConvDeberta.MLNet.Schema;

namespace Microsoft.ML.ConvDeberta.MLNet.Scoring;

/// <summary>
/// The lazy result of <see cref="PretrainedTextTransformer.Transform"/>: the input's columns plus the prediction
/// columns. A cursor scores rows a batch at a time: a second, text-only cursor over the input reads ahead one batch,
/// the batch is tokenized and run through the model at once, and the main cursor then serves the rows.
/// </summary>
internal sealed class ScoredDataView : IDataView
{
    private readonly IDataView input;
    private readonly PretrainedTextTransformer parent;

    public ScoredDataView(IDataView input, PretrainedTextTransformer parent)
    {
        this.input = input;
        this.parent = parent;
        Schema = parent.GetOutputSchema(input.Schema);
    }

    public bool CanShuffle => false;
    public DataViewSchema Schema { get; }
    public long? GetRowCount() => input.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        int inputCount = input.Schema.Count;
        var needed = columnsNeeded.Select(c => c.Index).ToHashSet();
        var inputColumns = needed.Where(i => i < inputCount).Select(i => input.Schema[i]).ToList();
        bool scoring = needed.Any(i => i >= inputCount);
        var main = input.GetRowCursor(inputColumns);
        var lookahead = scoring ? input.GetRowCursor(parent.TextColumns(input.Schema)) : null;
        return new ScoredCursor(this, main, lookahead, needed, parent);
    }

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        [GetRowCursor(columnsNeeded, rand)];

    private sealed class ScoredCursor(ScoredDataView view, DataViewRowCursor main, DataViewRowCursor? lookahead, HashSet<int> needed, PretrainedTextTransformer parent)
        : DataViewRowCursor
    {
        private readonly int inputCount = view.input.Schema.Count;
        private Prediction[] buffer = [];
        private long bufferStart;

        public override DataViewSchema Schema => view.Schema;
        public override long Position => main.Position;
        public override long Batch => main.Batch;
        public override ValueGetter<DataViewRowId> GetIdGetter() => main.GetIdGetter();

        public override bool MoveNext()
        {
            if (!main.MoveNext()) return false;
            if (lookahead != null && main.Position >= bufferStart + buffer.Length) FillNextBatch();
            return true;
        }

        private void FillNextBatch()
        {
            bufferStart += buffer.Length;
            var (s1, s2) = parent.ReadTexts(lookahead!, parent.Spec.ScoringBatchSize);
            buffer = parent.Predict(s1, s2);
        }

        public override bool IsColumnActive(DataViewSchema.Column column) =>
            column.Index < inputCount ? main.IsColumnActive(view.input.Schema[column.Index]) : needed.Contains(column.Index);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (column.Index < inputCount) return main.GetGetter<TValue>(view.input.Schema[column.Index]);
            if (!needed.Contains(column.Index))
                throw new InvalidOperationException($"Column '{column.Name}' was not requested when the cursor was created.");
            var getter = OutputGetters.Create(parent.Spec.Kind, column.Index - inputCount, () => buffer[main.Position - bufferStart]);
            return OutputGetters.Typed<TValue>(getter, column.Name);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                main.Dispose();
                lookahead?.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
