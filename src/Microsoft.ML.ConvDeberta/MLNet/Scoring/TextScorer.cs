using Microsoft.ML.ConvDeberta.Models;
using Microsoft.ML.ConvDeberta.Training;
using Microsoft.ML.ConvDeberta.Training.Tasks;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.ConvDeberta.MLNet.Scoring;

/// <summary>
/// Runs a fine-tuned sequence-classification model over rows in length-sorted batches, in eval mode and without
/// gradients, and returns float32 logits per row. Owns the model (native memory) and disposes it.
/// Thread-safe: calls are serialised on the model.
/// </summary>
internal sealed class TextScorer : IDisposable
{
    private readonly object gate = new();
    private readonly bool useTokenTypes;
    private bool disposed;

    public TextScorer(TaskModel model, TextEncoder encoder, Device device, int batchSize)
    {
        Model = model;
        Encoder = encoder;
        Device = device;
        BatchSize = Math.Max(1, batchSize);
        useTokenTypes = model.Encoder.Config.TypeVocabSize > 0;
        model.eval();
    }

    public TaskModel Model { get; }
    public TextEncoder Encoder { get; }
    public Device Device { get; }
    public int BatchSize { get; }
    public bool UsesTokenTypes => useTokenTypes;

    /// <summary>Logits [rows][labels] in input order.</summary>
    public float[][] Score(IReadOnlyList<string> sentence1, IReadOnlyList<string>? sentence2)
    {
        var (encodings, _) = Encoder.Encode(sentence1, sentence2, "scored");
        var result = new float[encodings.Length][];
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            Model.eval();
            using var noGrad = torch.no_grad();
            foreach (var rows in LengthGroupedBatcher.Sorted(encodings.Select(e => e.Length).ToArray(), BatchSize))
            {
                using var scope = NewDisposeScope();
                var (inputs, _) = EncodedBatches.Collate(Encoder.Tokenizer, encodings, rows, useTokenTypes, Device);
                var logits = Model.forward(inputs).Logits!.to(ScalarType.Float32).cpu().contiguous();   // (b, c)
                var values = logits.data<float>().ToArray();
                int width = (int)logits.size(1);
                for (int r = 0; r < rows.Length; r++)
                    result[rows[r]] = values.AsSpan(r * width, width).ToArray();
            }
        }
        return result;
    }

    /// <summary>Runs <paramref name="action"/> on the model while no scoring call can run or dispose it.</summary>
    public void WithModel(Action<TaskModel> action)
    {
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            action(Model);
        }
    }

    public void Dispose()
    {
        lock (gate)
        {
            if (disposed) return;
            disposed = true;
            Model.Dispose();
        }
    }
}
