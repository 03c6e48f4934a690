using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.ConvDeberta.Models.Heads;

/// <summary>The losses Hugging Face's task heads compute, with their exact conventions.</summary>
internal static class Losses
{
    /// <summary>Label value ignored by token-level losses (PyTorch's default ignore_index).</summary>
    public const long IgnoreIndex = -100;

    /// <summary>Cross-entropy over [N, C] logits and [N] int64 labels, ignoring -100.</summary>
    public static Tensor CrossEntropy(Tensor logits, Tensor labels, long ignoreIndex = IgnoreIndex) =>
        nn.functional.cross_entropy(logits, labels, ignore_index: ignoreIndex);

    /// <summary>
    /// Sequence classification/regression as <c>XxxForSequenceClassification</c> computes it: problem_type
    /// "regression" → MSE, "single_label_classification" → CE, "multi_label_classification" → BCE-with-logits;
    /// null → inferred (1 label: regression; integer labels: single label; else multi label).
    /// </summary>
    public static Tensor SequenceClassification(Tensor logits, Tensor labels, int numLabels, string? problemType)
    {
        problemType ??= numLabels == 1 ? "regression"
            : labels.dtype is ScalarType.Int64 or ScalarType.Int32 ? "single_label_classification"
            : "multi_label_classification";
        return problemType switch
        {
            "regression" => numLabels == 1
                ? nn.functional.mse_loss(logits.squeeze(), labels.squeeze().to(logits.dtype))
                : nn.functional.mse_loss(logits, labels.to(logits.dtype)),
            "single_label_classification" => CrossEntropy(logits.view(-1, numLabels), labels.view(-1).to(ScalarType.Int64)),
            "multi_label_classification" => nn.functional.binary_cross_entropy_with_logits(logits, labels.to(logits.dtype)),
            _ => throw new InvalidDataException($"config.json: 'problem_type' = '{problemType}' is not one of regression, single_label_classification, multi_label_classification."),
        };
    }

    /// <summary>
    /// DeBERTa's sequence-classification loss. With problem_type null: 1 label → MSE; 1-D labels → CE over the rows
    /// whose label is ≥ 0 (negative labels are dropped; 0 when none remain); 2-D labels → soft-label cross-entropy
    /// −Σ labels · log_softmax(logits). With a problem_type set, the standard rules apply.
    /// </summary>
    public static Tensor DebertaSequenceClassification(Tensor logits, Tensor labels, int numLabels, string? problemType)
    {
        if (problemType != null) return SequenceClassification(logits, labels, numLabels, problemType);
        if (numLabels == 1)
            return nn.functional.mse_loss(logits.view(-1).to(labels.dtype), labels.view(-1));
        if (labels.dim() == 1 || labels.size(-1) == 1)
        {
            using var labelIndex = (labels >= 0).nonzero();                        // [K, 1]
            var longLabels = labels.to(ScalarType.Int64);
            if (labelIndex.size(0) == 0) return torch.tensor(0f).to(logits);
            var labeledLogits = logits.gather(0, labelIndex.expand(labelIndex.size(0), logits.size(1)));  // [K, C]
            var kept = longLabels.gather(0, labelIndex.view(-1));                   // [K]
            return CrossEntropy(labeledLogits.view(-1, numLabels).to(ScalarType.Float32), kept.view(-1));
        }
        return -(nn.functional.log_softmax(logits, -1) * labels).sum(-1).mean();
    }

    /// <summary>
    /// Extractive QA span loss: positions are clamped to [0, L] and L is ignored, so out-of-range answers
    /// contribute nothing; the loss is the mean of the start and end cross-entropies.
    /// </summary>
    public static Tensor SpanExtraction(Tensor startLogits, Tensor endLogits, Tensor startPositions, Tensor endPositions)
    {
        if (startPositions.dim() > 1) startPositions = startPositions.squeeze(-1);
        if (endPositions.dim() > 1) endPositions = endPositions.squeeze(-1);
        long ignored = startLogits.size(1);
        var start = startPositions.clamp(0, ignored);
        var end = endPositions.clamp(0, ignored);
        return (CrossEntropy(startLogits, start, ignored) + CrossEntropy(endLogits, end, ignored)) / 2;
    }
}
