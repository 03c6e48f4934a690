using Microsoft.ML.ConvDeberta.Checkpoints;
using Microsoft.ML.ConvDeberta.Models;
using Microsoft.ML.ConvDeberta.Tokenization;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.ConvDeberta.MLNet.Persistence;

/// <summary>
/// The files of a fine-tuned model as a Hugging Face folder would hold them: config.json (with id2label),
/// model.safetensors (in the checkpoint's storage dtype, tied duplicates omitted) and the tokenizer files.
/// Saved as named entries inside the ML.NET model zip; loading writes them to a temporary folder and uses the same
/// loaders as a checkpoint, so a saved model is also a valid Hugging Face checkpoint.
/// </summary>
internal static class ModelPackage
{
    public const string ConfigEntry = "config.json";
    public const string WeightsEntry = "model.safetensors";
    public const string TokenizerPrefix = "tokenizer__";

    /// <summary>Writes the folder form of the model into <paramref name="folder"/>.</summary>
    public static void WriteFolder(string folder, TaskModel model, TransformerTokenizer tokenizer, ScalarType storageType)
    {
        // One writer for every checkpoint: config.json with the head's class name, tied duplicates omitted.
        CheckpointWriter.Save(folder, model, model.Encoder.Config, storageType);
        tokenizer.SaveTo(folder);
    }

    /// <summary>Stores every file of <paramref name="folder"/> as binary entries of the model.</summary>
    public static void Store(string folder, Action<string, Action<BinaryWriter>> saveStream, BinaryWriter index)
    {
        var files = Directory.GetFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray();
        index.Write(files.Length);
        foreach (var file in files)
        {
            index.Write(file!);
            var path = Path.Combine(folder, file!);
            saveStream(TokenizerPrefix + file, writer => { using var source = File.OpenRead(path); source.CopyTo(writer.BaseStream); });
        }
    }

    /// <summary>Restores the stored files into <paramref name="folder"/>.</summary>
    public static void Restore(string folder, Func<string, Action<BinaryReader>, bool> loadStream, BinaryReader index)
    {
        Directory.CreateDirectory(folder);
        int count = index.ReadInt32();
        for (int i = 0; i < count; i++)
        {
            var file = index.ReadString();
            if (file.Contains('/') || file.Contains('\\') || file.Contains(".."))
                throw new InvalidDataException($"The model file lists an invalid entry name '{file}'.");
            bool found = loadStream(TokenizerPrefix + file, reader =>
            {
                using var target = File.Create(Path.Combine(folder, file));
                reader.BaseStream.CopyTo(target);
            });
            if (!found) throw new InvalidDataException($"The model file is incomplete: entry '{file}' is missing. Re-save the model.");
        }
    }
}
