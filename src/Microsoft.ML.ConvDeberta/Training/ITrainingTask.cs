using Microsoft.ML.ConvDeberta.Models;
using static TorchSharp.torch;

namespace Microsoft.ML.ConvDeberta.Training;

/// <summary>
/// What the training loop needs to know about a task (sequence classification, regression, and later NER, QA,
/// multiple choice): how long each example is, how to build a batch, the loss, and the validation metric.
/// The loop itself knows nothing about texts, labels or ML.NET.
/// </summary>
internal interface ITrainingTask
{
    /// <summary>Token count of each training example (drives length-grouped batching).</summary>
    IReadOnlyList<int> TrainLengths { get; }

    /// <summary>Token count of each validation example; empty when there is no validation set.</summary>
    IReadOnlyList<int> ValidationLengths { get; }

    /// <summary>Builds the padded inputs (and targets) for the given examples on <paramref name="device"/>.</summary>
    TaskBatch Collate(IReadOnlyList<int> examples, bool validation, Device device);

    /// <summary>The scalar loss to minimise for a batch.</summary>
    Tensor Loss(ModelOutput output, TaskBatch batch);

    /// <summary>A fresh accumulator for the validation metric.</summary>
    IValidationMetric CreateMetric();
}

/// <summary>One collated batch: the model inputs plus whatever targets the task needs.</summary>
internal sealed class TaskBatch : IDisposable
{
    public required ModelInputs Inputs { get; init; }
    /// <summary>Targets in the form the task's loss wants (class ids [B] int64 or values [B] float).</summary>
    public Tensor? Targets { get; init; }
    /// <summary>Indices of the examples in this batch.</summary>
    public required IReadOnlyList<int> Examples { get; init; }
    /// <summary>Non-padding tokens in the batch (for tokens/s).</summary>
    public required long Tokens { get; init; }

    public void Dispose()
    {
        Inputs.InputIds.Dispose();
        Inputs.AttentionMask?.Dispose();
        Inputs.TokenTypeIds?.Dispose();
        Targets?.Dispose();
    }
}

/// <summary>Accumulates a metric over the WHOLE validation set, batch by batch.</summary>
internal interface IValidationMetric
{
    /// <summary>Metric name for logs ("accuracy", "rmse").</summary>
    string Name { get; }
    /// <summary>Whether larger values are better (accuracy) or smaller (rmse).</summary>
    bool HigherIsBetter { get; }
    /// <summary>Adds one batch's outputs.</summary>
    void Add(ModelOutput output, TaskBatch batch);
    /// <summary>The metric over everything added.</summary>
    double Result { get; }
}
