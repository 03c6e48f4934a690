using Microsoft.ML.ConvDeberta.Models;
using Microsoft.ML.ConvDeberta.Tokenization;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.ConvDeberta.Training.Tasks;

/// <summary>Labelled texts (or text pairs) already tokenized, with class ids or regression targets.</summary>
internal sealed record EncodedExamples(TokenizedText[] Encodings, long[]? ClassIds, float[]? Targets)
{
    public int Count => Encodings.Length;
    public static readonly EncodedExamples Empty = new([], [], []);
}

/// <summary>
/// Sequence classification (cross-entropy, accuracy) or regression (MSE, RMSE) over one logit vector per row:
/// the task behind the binary, multiclass and regression trainers.
/// </summary>
internal sealed class SequenceClassificationTask : ITrainingTask
{
    private readonly TransformerTokenizer tokenizer;
    private readonly EncodedExamples train;
    private readonly EncodedExamples validation;
    private readonly bool useTokenTypes;
    private readonly bool regression;

    public SequenceClassificationTask(TransformerTokenizer tokenizer, EncodedExamples train, EncodedExamples? validation, bool useTokenTypes, bool regression)
    {
        this.tokenizer = tokenizer;
        this.train = train;
        this.validation = validation ?? EncodedExamples.Empty;
        this.useTokenTypes = useTokenTypes;
        this.regression = regression;
        TrainLengths = train.Encodings.Select(e => e.Length).ToArray();
        ValidationLengths = this.validation.Encodings.Select(e => e.Length).ToArray();
    }

    public IReadOnlyList<int> TrainLengths { get; }
    public IReadOnlyList<int> ValidationLengths { get; }

    public TaskBatch Collate(IReadOnlyList<int> examples, bool validation, Device device)
    {
        var source = validation ? this.validation : train;
        var (inputs, tokens) = EncodedBatches.Collate(tokenizer, source.Encodings, examples, useTokenTypes, device);
        Tensor targets = regression
            ? torch.tensor(examples.Select(i => source.Targets![i]).ToArray(), ScalarType.Float32).to(device)
            : torch.tensor(examples.Select(i => source.ClassIds![i]).ToArray(), ScalarType.Int64).to(device);
        return new TaskBatch { Inputs = inputs, Targets = targets, Examples = examples, Tokens = tokens };
    }

    public Tensor Loss(ModelOutput output, TaskBatch batch)
    {
        var logits = output.Logits!.to(ScalarType.Float32);                       // (b, c)
        return regression
            ? nn.functional.mse_loss(logits.view(-1), batch.Targets!)
            : nn.functional.cross_entropy(logits, batch.Targets!);
    }

    public IValidationMetric CreateMetric() => regression ? new RmseMetric() : new AccuracyMetric();

    private sealed class AccuracyMetric : IValidationMetric
    {
        private long correct, total;
        public string Name => "accuracy";
        public bool HigherIsBetter => true;
        public double Result => total == 0 ? double.NaN : (double)correct / total;

        public void Add(ModelOutput output, TaskBatch batch)
        {
            using var predicted = output.Logits!.argmax(-1);                       // (b)
            using var hits = predicted.eq(batch.Targets!).sum();
            correct += hits.item<long>();
            total += batch.Examples.Count;
        }
    }

    private sealed class RmseMetric : IValidationMetric
    {
        private double squared; private long total;
        public string Name => "rmse";
        public bool HigherIsBetter => false;
        public double Result => total == 0 ? double.NaN : Math.Sqrt(squared / total);

        public void Add(ModelOutput output, TaskBatch batch)
        {
            using var diff = output.Logits!.to(ScalarType.Float32).view(-1) - batch.Targets!;
            using var sum = diff.square().sum();
            squared += sum.to(ScalarType.Float64).item<double>();
            total += batch.Examples.Count;
        }
    }
}
