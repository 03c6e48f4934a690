using Microsoft.ML.ConvDeberta.Tokenization;
using Microsoft.ML.ConvDeberta.Training;

namespace Microsoft.ML.ConvDeberta.MLNet;

/// <summary>What a trained text model needs besides its weights: task kind, columns, class names and scoring settings.</summary>
internal sealed record TextModelSpec(
    PredictionKind Kind,
    string ModelType,
    string Sentence1Column,
    string? Sentence2Column,
    string LabelColumn,
    IReadOnlyList<string> ClassNames,
    int MaxSequenceLength,
    TruncationStrategy Truncation,
    int ScoringBatchSize,
    ComputeDevice Device,
    TrainingPrecision Precision)
{
    /// <summary>Number of logits the head produces (2 for binary, classes for multiclass, 1 for regression).</summary>
    public int NumLabels => Kind switch { PredictionKind.Binary => 2, PredictionKind.Multiclass => ClassNames.Count, _ => 1 };

    public void WriteTo(BinaryWriter writer)
    {
        writer.Write((int)Kind);
        writer.Write(ModelType);
        writer.Write(Sentence1Column);
        writer.Write(Sentence2Column ?? "");
        writer.Write(LabelColumn);
        writer.Write(ClassNames.Count);
        foreach (var name in ClassNames) writer.Write(name);
        writer.Write(MaxSequenceLength);
        writer.Write((int)Truncation);
        writer.Write(ScoringBatchSize);
        writer.Write((int)Device);
        writer.Write((int)Precision);
    }

    public static TextModelSpec ReadFrom(BinaryReader reader)
    {
        var kind = (PredictionKind)reader.ReadInt32();
        var modelType = reader.ReadString();
        var sentence1 = reader.ReadString();
        var sentence2 = reader.ReadString();
        var label = reader.ReadString();
        var names = new string[reader.ReadInt32()];
        for (int i = 0; i < names.Length; i++) names[i] = reader.ReadString();
        return new TextModelSpec(kind, modelType, sentence1, sentence2.Length == 0 ? null : sentence2, label, names,
            reader.ReadInt32(), (TruncationStrategy)reader.ReadInt32(), reader.ReadInt32(), (ComputeDevice)reader.ReadInt32(), (TrainingPrecision)reader.ReadInt32());
    }
}
