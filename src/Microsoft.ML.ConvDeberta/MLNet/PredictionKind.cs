namespace Microsoft.ML.ConvDeberta.MLNet;

/// <summary>Which ML.NET catalog a trainer belongs to; decides label type, head size, loss and output columns.</summary>
internal enum PredictionKind
{
    Binary,
    Multiclass,
    Regression,
}
