using System.Text.Json;
using Microsoft.ML.ConvDeberta.Checkpoints;
using Microsoft.ML.ConvDeberta.Checkpoints.PyTorch;
using Microsoft.ML.ConvDeberta.Checkpoints.SafeTensors;
using Microsoft.ML.ConvDeberta.Models;
using Microsoft.ML.ConvDeberta.Tests.Infrastructure;
using static TorchSharp.torch;

namespace Microsoft.ML.ConvDeberta.Tests.Checkpoints;

/// <summary>Folder lookup (safetensors before bin, single before sharded), shard indexes, and folder-level errors.</summary>
[TestClass]
public class CheckpointFilesTests
{
    private static string Case() => SharedData.Reference("models", "deberta_v2_xlarge_style", "masked_lm");

    /// <summary>Splits a state dict over <paramref name="shards"/> files named like Hugging Face's and writes the index.</summary>
    private static void WriteShards(string folder, IReadOnlyDictionary<string, Tensor> tensors, int shards, string indexName, Action<string, Dictionary<string, Tensor>> write, string extension)
    {
        var names = tensors.Keys.Order(StringComparer.Ordinal).ToList();
        var weightMap = new SortedDictionary<string, string>(StringComparer.Ordinal);
        for (int s = 0; s < shards; s++)
        {
            var file = $"model-{s + 1:00000}-of-{shards:00000}.{extension}";
            var part = names.Where((_, i) => i % shards == s).ToDictionary(n => n, n => tensors[n]);
            write(Path.Combine(folder, file), part);
            foreach (var n in part.Keys) weightMap[n] = file;
        }
        File.WriteAllText(Path.Combine(folder, indexName), JsonSerializer.Serialize(new { metadata = new { total_size = 0 }, weight_map = weightMap }));
    }

    [TestMethod]
    public void ShardedSafeTensorsLoadLikeTheSingleFile()
    {
        using var temp = new TempFolder();
        var single = SafeTensorsReader.Load(Path.Combine(Case(), "model.safetensors"));
        try
        {
            WriteShards(temp.Path, single, 3, "model.safetensors.index.json", (p, t) => SafeTensorsWriter.Save(p, t), "safetensors");
            File.Copy(Path.Combine(Case(), "pytorch_model.bin"), Path.Combine(temp.Path, "pytorch_model.bin"));
            Assert.AreEqual(Path.Combine(temp.Path, "model.safetensors.index.json"), CheckpointFiles.FindWeights(temp.Path), "safetensors (sharded) wins over a single .bin");
            var sharded = CheckpointFiles.LoadStateDict(temp.Path);
            try { StateDictAssert.Identical(single, sharded, "sharded safetensors"); }
            finally { StateDictAssert.Dispose(sharded); }
        }
        finally { StateDictAssert.Dispose(single); }
    }

    [TestMethod]
    public void ShardedBinLoadsLikeTheSingleFile()
    {
        using var temp = new TempFolder();
        var single = PyTorchCheckpointReader.Load(Path.Combine(Case(), "pytorch_model.bin"));
        try
        {
            WriteShards(temp.Path, single, 2, "pytorch_model.bin.index.json", (p, t) => PyTorchCheckpointWriter.Save(p, t), "bin");
            Assert.AreEqual(Path.Combine(temp.Path, "pytorch_model.bin.index.json"), CheckpointFiles.FindWeights(temp.Path));
            var sharded = CheckpointFiles.LoadStateDict(temp.Path);
            try { StateDictAssert.Identical(single, sharded, "sharded bin"); }
            finally { StateDictAssert.Dispose(sharded); }
        }
        finally { StateDictAssert.Dispose(single); }
    }

    [TestMethod]
    public void BinIsUsedWhenThereIsNoSafeTensors()
    {
        using var temp = new TempFolder();
        File.Copy(Path.Combine(Case(), "pytorch_model.bin"), Path.Combine(temp.Path, "pytorch_model.bin"));
        var loaded = CheckpointFiles.LoadStateDict(temp.Path);
        try { Assert.IsTrue(loaded.ContainsKey("cls.predictions.decoder.weight"), "the .bin carries the tied keys too"); }
        finally { StateDictAssert.Dispose(loaded); }
    }

    [TestMethod]
    public void AWeightFilePathIsReadDirectly()
    {
        using var temp = new TempFolder();
        var single = CheckpointFiles.LoadStateDict(Path.Combine(Case(), "pytorch_model.bin"));
        try { Assert.IsTrue(single.ContainsKey("cls.predictions.decoder.weight"), "the .bin itself, not the folder's safetensors"); }
        finally { StateDictAssert.Dispose(single); }
        var other = Path.Combine(temp.Path, "weights.h5");
        File.WriteAllText(other, "");
        StringAssert.Contains(Assert.ThrowsExactly<InvalidDataException>(() => CheckpointFiles.LoadStateDict(other)).Message, "is not a known weight file");
    }

    [TestMethod]
    public void MissingShardIsNamed()
    {
        using var temp = new TempFolder();
        File.WriteAllText(Path.Combine(temp.Path, "model.safetensors.index.json"), """{"weight_map": {"a.weight": "model-00001-of-00002.safetensors"}}""");
        var error = Assert.ThrowsExactly<FileNotFoundException>(() => CheckpointFiles.LoadStateDict(temp.Path));
        StringAssert.Contains(error.Message, "lists shard 'model-00001-of-00002.safetensors'");
    }

    [TestMethod]
    public void TensorMissingFromItsShardIsListed()
    {
        using var temp = new TempFolder();
        var single = SafeTensorsReader.Load(Path.Combine(Case(), "model.safetensors"));
        try
        {
            WriteShards(temp.Path, single, 2, "model.safetensors.index.json", (p, t) => SafeTensorsWriter.Save(p, t), "safetensors");
            var index = Path.Combine(temp.Path, "model.safetensors.index.json");
            var map = JsonDocument.Parse(File.ReadAllText(index)).RootElement.GetProperty("weight_map").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString());
            map["deberta.encoder.layer.7.output.dense.weight"] = "model-00001-of-00002.safetensors";
            File.WriteAllText(index, JsonSerializer.Serialize(new { weight_map = map }));
            var error = Assert.ThrowsExactly<InvalidDataException>(() => CheckpointFiles.LoadStateDict(temp.Path));
            StringAssert.Contains(error.Message, "deberta.encoder.layer.7.output.dense.weight (in model-00001-of-00002.safetensors)");
        }
        finally { StateDictAssert.Dispose(single); }
    }

    [TestMethod]
    [DataRow("""{"weight_map": {"a": "../secret.safetensors"}}""", "not a file name in the checkpoint folder")]
    [DataRow("""{"weight_map": {}}""", "empty weight_map")]
    [DataRow("""{"metadata": {}}""", "has no \"weight_map\" object")]
    [DataRow("""{"weight_map": """, "not valid JSON")]
    public void BadShardIndexIsReported(string json, string expected)
    {
        using var temp = new TempFolder();
        File.WriteAllText(Path.Combine(temp.Path, "model.safetensors.index.json"), json);
        StringAssert.Contains(Assert.ThrowsExactly<InvalidDataException>(() => CheckpointFiles.LoadStateDict(temp.Path)).Message, expected);
    }

    [TestMethod]
    public void FolderWithoutWeightsListsWhatWasLookedFor()
    {
        using var temp = new TempFolder();
        File.WriteAllText(Path.Combine(temp.Path, "tf_model.h5"), "");
        var error = Assert.ThrowsExactly<FileNotFoundException>(() => CheckpointFiles.LoadStateDict(temp.Path));
        StringAssert.Contains(error.Message, "looked for model.safetensors, model.safetensors.index.json, pytorch_model.bin, pytorch_model.bin.index.json");
        StringAssert.Contains(error.Message, "TensorFlow/Flax weights only");
        Assert.ThrowsExactly<DirectoryNotFoundException>(() => CheckpointFiles.LoadStateDict(Path.Combine(temp.Path, "absent")));
    }

    [TestMethod]
    public void MissingConfigJsonIsNamed()
    {
        using var temp = new TempFolder();
        var error = Assert.ThrowsExactly<FileNotFoundException>(() => ModelConfigs.Load(temp.Path));
        StringAssert.Contains(error.Message, "has no config.json");
    }

    [TestMethod]
    public void UnknownModelTypeIsNamed()
    {
        using var temp = new TempFolder();
        File.WriteAllText(Path.Combine(temp.Path, "config.json"), """{"model_type": "gpt2", "vocab_size": 50257}""");
        var error = Assert.ThrowsExactly<InvalidDataException>(() => ModelConfigs.Load(temp.Path));
        StringAssert.Contains(error.Message, "Unknown model_type 'gpt2'");
    }
}
