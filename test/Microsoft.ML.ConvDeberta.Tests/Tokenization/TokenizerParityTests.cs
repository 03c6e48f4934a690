using System.Text.Json;
using Microsoft.ML.ConvDeberta.Tokenization;

namespace Microsoft.ML.ConvDeberta.Tests.Tokenization;

/// <summary>
/// Exact parity with the slow Hugging Face tokenizers on every corpus line, one row per tokenizer in
/// &lt;reference&gt;/tokenizers/index.json: ids, type ids, mask, pairs, the three truncations and both decodings.
/// </summary>
[TestClass]
public class TokenizerParityTests
{
    public TestContext TestContext { get; set; } = null!;

    public static IEnumerable<object[]> Names() => ReferenceTokenizers.Names();

    [TestMethod, TestCategory("TokenizerParity")]
    [DynamicData(nameof(Names))]
    public void EveryRecordMatchesReference(string name)
    {
        if (name == ReferenceTokenizers.Missing) ReferenceTokenizers.Entry(name);
        var tokenizer = ReferenceTokenizers.Get(name);
        var records = ReferenceTokenizers.Records(name);
        int max = ReferenceTokenizers.Entry(name)["max_length"] is { } m ? (int)m : 16;
        var failures = new List<string>();
        int fields = 0;
        foreach (var record in records)
        {
            var mismatch = Compare(tokenizer, record, max, ref fields);
            if (mismatch != null) failures.Add(mismatch);
        }
        TestContext.WriteLine($"{name}: {records.Count - failures.Count}/{records.Count} records match ({fields} fields compared)");
        Assert.IsTrue(records.Count > 0, $"{name}: no records");
        Assert.AreEqual(0, failures.Count, $"{name}: {failures.Count}/{records.Count} records differ. First: {failures.FirstOrDefault()}");
    }

    private static string? Compare(TransformerTokenizer tokenizer, JsonElement r, int max, ref int fields)
    {
        string id = r.GetProperty("id").GetString()!;
        string text = r.GetProperty("text").GetString()!;
        var single = tokenizer.Encode(text);
        string? Check(string field, int[] expected, int[] actual)
        {
            return expected.SequenceEqual(actual) ? null
                : $"record {id} {JsonSerializer.Serialize(text)} field {field}: expected [{string.Join(", ", expected)}] but got [{string.Join(", ", actual)}]";
        }
        string? Encoding(string prefix, JsonElement expected, TokenizedText actual, ref int count)
        {
            count += 3;
            return Check(prefix + "input_ids", ReferenceTokenizers.Ints(expected.GetProperty("input_ids")), actual.InputIds)
                ?? Check(prefix + "token_type_ids", ReferenceTokenizers.Ints(expected.GetProperty("token_type_ids")), actual.TokenTypeIds)
                ?? Check(prefix + "attention_mask", ReferenceTokenizers.Ints(expected.GetProperty("attention_mask")), actual.AttentionMask);
        }
        fields++;
        var error = Check("ids_no_special", ReferenceTokenizers.Ints(r.GetProperty("ids_no_special")),
            tokenizer.Encode(text, options: new EncodeOptions { AddSpecialTokens = false }).InputIds);
        error ??= Encoding("", r, single, ref fields);
        var truncation = new EncodeOptions { MaxLength = max, Truncation = TruncationStrategy.LongestFirst };
        if (error == null && r.TryGetProperty("truncated_16", out var t16))
            error = Encoding("truncated_16.", t16, tokenizer.Encode(text, null, truncation), ref fields);
        if (error == null && r.TryGetProperty("pair", out var pair))
        {
            string second = pair.GetProperty("text_pair").GetString()!;
            error = Encoding("pair.", pair, tokenizer.Encode(text, second), ref fields);
            if (error == null && pair.TryGetProperty("truncated_16", out var p16))
                error = Encoding("pair.truncated_16.", p16, tokenizer.Encode(text, second, truncation), ref fields);
            if (error == null && pair.TryGetProperty("truncated_16_only_second", out var os))
                error = Encoding("pair.truncated_16_only_second.", os, tokenizer.Encode(text, second, truncation with { Truncation = TruncationStrategy.OnlySecond }), ref fields);
        }
        foreach (var (field, skip) in new[] { ("decoded", false), ("decoded_skip_special", true) })
        {
            if (error != null || !r.TryGetProperty(field, out var expected)) continue;
            fields++;
            string actual = tokenizer.Decode(single.InputIds, skip);
            if (actual != expected.GetString())
                error = $"record {id} {JsonSerializer.Serialize(text)} field {field}: expected {JsonSerializer.Serialize(expected.GetString())} but got {JsonSerializer.Serialize(actual)}";
        }
        return error;
    }
}
