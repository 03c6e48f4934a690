using System.Text.Json;
using Microsoft.ML.ConvDeberta.Tokenization;
using MlTokenizers = Microsoft.ML.Tokenizers;

namespace Microsoft.ML.ConvDeberta.Tests.Tokenization;

/// <summary>
/// Why our layer exists: on specific reference records Microsoft.ML.Tokenizers 2.0.1 out of the box differs from the
/// Python reference and our tokenizer does not. If a library update fixes a difference, its test fails and says so
/// (the correction can then go).
/// </summary>
[TestClass]
public class LibraryDifferenceTests
{
    private static (string Text, int[] Expected) Record(string tokenizer, string id)
    {
        var record = ReferenceTokenizers.Records(tokenizer).Single(r => r.GetProperty("id").GetString() == id);
        return (record.GetProperty("text").GetString()!, ReferenceTokenizers.Ints(record.GetProperty("ids_no_special")));
    }

    private static int[] Ours(string tokenizer, string text) =>
        ReferenceTokenizers.Get(tokenizer).Encode(text, options: new EncodeOptions { AddSpecialTokens = false }).InputIds;

    private static void AssertDifference(string what, int[] expected, int[] ours, IEnumerable<int> library)
    {
        CollectionAssert.AreEqual(expected, ours, $"ours vs reference ({what})");
        Assert.IsFalse(expected.SequenceEqual(library), $"Microsoft.ML.Tokenizers now matches the reference ({what}); the correction may be obsolete.");
    }

    private static string File(string tokenizer, string role) =>
        Path.Combine(ReferenceTokenizers.Dir, (string)ReferenceTokenizers.Entry(tokenizer)["files"]![role]!["path"]!);

    [TestMethod, TestCategory("TokenizerParity")]
    [DataRow("h-punctuation-03", "ASCII symbols _ | ~ ` ^ are punctuation for BERT")]
    [DataRow("h-punctuation-06", "$ + = are punctuation for BERT")]
    public void BertTokenizerOfTheLibraryDiffers(string id, string what)
    {
        var (text, expected) = Record("convbert_uncased", id);
        var library = MlTokenizers.BertTokenizer.Create(File("convbert_uncased", "vocab_file"),
            new MlTokenizers.BertOptions { LowerCaseBeforeTokenization = true, RemoveNonSpacingMarks = true });
        AssertDifference(what, expected, Ours("convbert_uncased", text), library.EncodeToIds(text, addSpecialTokens: false));
    }

    [TestMethod, TestCategory("TokenizerParity")]
    [DataRow("h-whitespace-02", "whitespace runs give one 'Ġ' per space")]
    [DataRow("h-punctuation-07", "literal special tokens, [MASK] eating the space before it")]
    public void CodeGenTokenizerOfTheLibraryDiffers(string id, string what)
    {
        var (text, expected) = Record("deberta_v1", id);
        using var vocab = System.IO.File.OpenRead(File("deberta_v1", "vocab_file"));
        using var merges = System.IO.File.OpenRead(File("deberta_v1", "merges_file"));
        var library = MlTokenizers.CodeGenTokenizer.Create(vocab, merges, false, false, false);
        AssertDifference(what, expected, Ours("deberta_v1", text), library.EncodeToIds(text));
    }

    [TestMethod, TestCategory("TokenizerParity")]
    [DataRow("s-000-001", "byte-fallback ids (the library's are 255 too high)")]
    [DataRow("h-control-00", "U+0001 is removed by the spm charsmap")]
    [DataRow("h-punctuation-07", "literal special tokens")]
    public void SentencePieceTokenizerOfTheLibraryDiffers(string id, string what)
    {
        var (text, expected) = Record("deberta_v3", id);
        using var model = System.IO.File.OpenRead(File("deberta_v3", "vocab_file"));
        var library = MlTokenizers.SentencePieceTokenizer.Create(model, false, false);
        AssertDifference(what, expected, Ours("deberta_v3", text), library.EncodeToIds(text, false, false));
    }
}
