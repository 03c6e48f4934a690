using System.Text.Json;
using Microsoft.ML.ConvDeberta.Checkpoints.SafeTensors;
using Microsoft.ML.ConvDeberta.Tests.Infrastructure;
using Microsoft.ML.ConvDeberta.Tokenization;
using TorchSharp;

namespace Microsoft.ML.ConvDeberta.Tests.Tokenization;

/// <summary>
/// The tokenizers of the tiny checkpoints load with <see cref="TransformerTokenizer.FromPretrained"/> (family detected
/// from the folder) and reproduce the padded batch that the Python reference stored in <c>*-seqcls/expected.safetensors</c>.
/// </summary>
[TestClass]
public class CheckpointTokenizerTests
{
    public static IEnumerable<object[]> Cases()
    {
        string dir = Path.Combine(SharedData.ReferenceDir, "checkpoints");
        if (!Directory.Exists(dir)) return [["(checkpoints folder missing)"]];
        return Directory.GetDirectories(dir, "*-seqcls").Select(d => new object[] { Path.GetFileName(d)[..^"-seqcls".Length] }).OrderBy(c => (string)c[0]).ToList();
    }

    [TestMethod, TestCategory("TokenizerParity")]
    [DynamicData(nameof(Cases))]
    public void ReproducesStoredBatch(string checkpoint)
    {
        string baseFolder = SharedData.Reference("checkpoints", checkpoint);
        string seqcls = SharedData.Reference("checkpoints", checkpoint + "-seqcls");
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(seqcls, "expected.json")));
        var tok = json.RootElement.GetProperty("tokenizer");
        var texts = tok.GetProperty("texts").EnumerateArray().Select(t => t.GetString()!).ToList();
        var expectedTokens = tok.GetProperty("tokens").EnumerateArray().Select(r => r.EnumerateArray().Select(t => t.GetString()!).ToArray()).ToList();
        var stored = SafeTensorsReader.Load(Path.Combine(seqcls, "expected.safetensors"));
        try
        {
            foreach (var folder in new[] { baseFolder, seqcls })
            {
                var tokenizer = TransformerTokenizer.FromPretrained(folder);
                Assert.AreEqual(512, tokenizer.ModelMaxLength, $"{folder}: model_max_length");
                var encodings = tokenizer.EncodeBatch(texts);
                for (int i = 0; i < texts.Count; i++)
                    CollectionAssert.AreEqual(expectedTokens[i], encodings[i].InputIds.Select(((TemplateTokenizer)tokenizer).TokenOf).ToArray(), $"{folder}: tokens of text {i}");
                var batch = tokenizer.Pad(encodings);
                foreach (var (name, actual) in new[] { ("input_ids", batch.InputIds), ("attention_mask", batch.AttentionMask), ("token_type_ids", batch.TokenTypeIds) })
                {
                    if (!stored.TryGetValue(name, out var tensor)) continue;
                    CollectionAssert.AreEqual(tensor.shape, new long[] { batch.Count, batch.SequenceLength }, $"{folder}: {name} shape");
                    CollectionAssert.AreEqual(tensor.data<long>().ToArray(), actual, $"{folder}: {name}");
                }
            }
        }
        finally
        {
            foreach (var t in stored.Values) t.Dispose();
        }
    }
}
