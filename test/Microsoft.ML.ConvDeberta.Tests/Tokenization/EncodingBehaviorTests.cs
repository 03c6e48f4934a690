using Microsoft.ML.ConvDeberta.Tokenization;

namespace Microsoft.ML.ConvDeberta.Tests.Tokenization;

/// <summary>The encoding API beyond the reference records: bad input, long text, overflow windows, padding, batches, saving.</summary>
[TestClass]
public class EncodingBehaviorTests
{
    public static IEnumerable<object[]> Names() => ReferenceTokenizers.Names();

    private static TransformerTokenizer Get(string name)
    {
        if (name == ReferenceTokenizers.Missing) ReferenceTokenizers.Entry(name);
        return ReferenceTokenizers.Get(name);
    }

    private static string LongText(int words) => string.Join(" ", Enumerable.Range(0, words).Select(i => $"word{i % 97} tokenization"));

    [TestMethod]
    [DynamicData(nameof(Names))]
    public void NullInputThrowsArgumentNullException(string name)
    {
        var tokenizer = Get(name);
        Assert.ThrowsExactly<ArgumentNullException>(() => tokenizer.Encode(null!));
        Assert.ThrowsExactly<ArgumentNullException>(() => tokenizer.EncodeBatch(null!));
        Assert.ThrowsExactly<ArgumentNullException>(() => tokenizer.EncodeBatch(["a", null!]));
        Assert.ThrowsExactly<ArgumentNullException>(() => tokenizer.Decode(null!));
        Assert.ThrowsExactly<ArgumentException>(() => tokenizer.EncodeBatch(["a", "b"], ["c"]));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => tokenizer.Decode([tokenizer.VocabularySize]));
    }

    [TestMethod]
    [DynamicData(nameof(Names))]
    public void UnpairedSurrogateIsDroppedByBertAndRefusedByByteLevelFamilies(string name)
    {
        var tokenizer = (TemplateTokenizer)Get(name);
        const string bad = "ab\uD800cd";
        if (tokenizer.Settings.Family == TokenizerFamily.WordPiece)
        {
            // BERT's _clean_text drops category C* characters, lone surrogates included.
            CollectionAssert.AreEqual(tokenizer.Encode("abcd").InputIds, tokenizer.Encode(bad).InputIds);
            return;
        }
        var e = Assert.ThrowsExactly<ArgumentException>(() => tokenizer.Encode("fine", bad));
        StringAssert.Contains(e.Message, "unpaired");
        Assert.AreEqual("textPair", e.ParamName);
    }

    [TestMethod]
    [DynamicData(nameof(Names))]
    public void LongTextIsKeptWholeUnlessTruncated(string name)
    {
        var tokenizer = Get(name);
        string text = LongText(3000);
        var whole = tokenizer.Encode(text);
        Assert.IsTrue(whole.Length > 6000, $"{whole.Length} tokens");
        var cut = tokenizer.Encode(text, options: new EncodeOptions { MaxLength = 512 });
        Assert.AreEqual(512, cut.Length);
        CollectionAssert.AreEqual(whole.InputIds[..511], cut.InputIds[..511]);
        Assert.AreEqual(tokenizer.SepTokenId, cut.InputIds[^1]);
    }

    [TestMethod]
    [DynamicData(nameof(Names))]
    public void OverflowingWindowsOverlapByStrideAndCoverTheText(string name)
    {
        var tokenizer = Get(name);
        string question = "what is tokenization?", context = LongText(40);
        var all = tokenizer.Encode(context, options: new EncodeOptions { AddSpecialTokens = false }).InputIds;
        var q = tokenizer.Encode(question, options: new EncodeOptions { AddSpecialTokens = false }).InputIds;
        var options = new EncodeOptions { MaxLength = 32, Truncation = TruncationStrategy.OnlySecond, Stride = 5, ReturnOverflowingTokens = true };
        var first = tokenizer.Encode(question, context, options);
        var windows = new[] { first }.Concat(first.Overflowing).ToList();
        Assert.IsTrue(windows.Count > 2, $"{windows.Count} windows");
        var parts = new List<int[]>();
        foreach (var w in windows)
        {
            Assert.IsTrue(w.Length <= 32);
            CollectionAssert.AreEqual(q, w.InputIds[1..(1 + q.Length)], "every window repeats the question");
            var second = Enumerable.Range(0, w.Length).Where(i => w.SequenceIds[i] == 1).Select(i => w.InputIds[i]).ToArray();
            Assert.IsTrue(w.TokenTypeIds.Skip(q.Length + 2).All(t => t == 1));
            parts.Add(second);
        }
        var rebuilt = new List<int>(parts[0]);
        for (int k = 1; k < parts.Count; k++)
        {
            CollectionAssert.AreEqual(parts[k - 1][^5..], parts[k][..5], $"window {k} starts with the last 5 tokens of window {k - 1}");
            rebuilt.AddRange(parts[k][5..]);
        }
        CollectionAssert.AreEqual(all, rebuilt.ToArray());
        Assert.ThrowsExactly<ArgumentException>(() => tokenizer.Encode(question, context, options with { Stride = 100 }));
        Assert.ThrowsExactly<ArgumentException>(() => tokenizer.Encode(question, context, options with { Truncation = TruncationStrategy.LongestFirst }));
    }

    [TestMethod]
    [DynamicData(nameof(Names))]
    public void SingleTextWindowsWithoutStrideTileTheText(string name)
    {
        var tokenizer = Get(name);
        string text = LongText(30);
        var all = tokenizer.Encode(text, options: new EncodeOptions { AddSpecialTokens = false }).InputIds;
        var first = tokenizer.Encode(text, options: new EncodeOptions { MaxLength = 20, ReturnOverflowingTokens = true });
        var windows = new[] { first }.Concat(first.Overflowing).ToList();
        Assert.AreEqual((all.Length + 17) / 18, windows.Count);
        Assert.IsTrue(windows.All(w => w.InputIds[0] == tokenizer.ClsTokenId && w.InputIds[^1] == tokenizer.SepTokenId && w.Length <= 20));
        CollectionAssert.AreEqual(all, windows.SelectMany(w => w.InputIds[1..^1]).ToArray());
        Assert.AreEqual(0, windows[^1].Overflowing.Count);
    }

    [TestMethod]
    [DynamicData(nameof(Names))]
    public void TruncationQuirksFollowHuggingFace(string name)
    {
        var tokenizer = Get(name);
        string longText = LongText(20), shortText = "hi";
        var options = new EncodeOptions { MaxLength = 10, Truncation = TruncationStrategy.OnlySecond };
        // only_second when the first text alone does not fit: HF logs an error and truncates nothing.
        Assert.AreEqual(tokenizer.Encode(longText, shortText).Length, tokenizer.Encode(longText, shortText, options).Length);
        Assert.AreEqual(10, tokenizer.Encode(shortText, longText, options).Length);
        Assert.AreEqual(10, tokenizer.Encode(longText, shortText, options with { Truncation = TruncationStrategy.OnlyFirst }).Length);
        Assert.AreEqual(tokenizer.Encode(longText).Length, tokenizer.Encode(longText, options: options with { Truncation = TruncationStrategy.DoNotTruncate }).Length);
        var noSpecials = tokenizer.Encode(shortText, longText, new EncodeOptions { AddSpecialTokens = false });
        Assert.IsTrue(noSpecials.TokenTypeIds.All(t => t == 0) && noSpecials.SpecialTokensMask.All(m => m == 0), "no template => type 0 everywhere (as HF)");
    }

    [TestMethod]
    [DynamicData(nameof(Names))]
    public void PadAndBatchAgreeWithSingleEncodings(string name)
    {
        var tokenizer = Get(name);
        var texts = ReferenceTokenizers.Corpus().Take(40).ToList();
        var pairs = texts.Skip(1).Append(texts[0]).ToList();
        var batch = tokenizer.EncodeBatch(texts, pairs);
        for (int i = 0; i < texts.Count; i++)
            CollectionAssert.AreEqual(tokenizer.Encode(texts[i], pairs[i]).InputIds, batch[i].InputIds, $"row {i}");
        var padded = tokenizer.Pad(batch, padToMultipleOf: 8);
        int longest = batch.Max(b => b.Length);
        Assert.AreEqual(0, padded.SequenceLength % 8);
        Assert.IsTrue(padded.SequenceLength >= longest && padded.SequenceLength < longest + 8);
        for (int r = 0; r < batch.Length; r++)
            for (int t = 0; t < padded.SequenceLength; t++)
            {
                int k = r * padded.SequenceLength + t;
                bool real = t < batch[r].Length;
                Assert.AreEqual(real ? batch[r].InputIds[t] : tokenizer.PadTokenId, padded.InputIds[k]);
                Assert.AreEqual(real ? 1 : 0, padded.AttentionMask[k]);
                Assert.AreEqual(real ? batch[r].TokenTypeIds[t] : 0, padded.TokenTypeIds[k]);
            }
    }

    [TestMethod]
    [DynamicData(nameof(Names))]
    public void SavedTokenizerReloadsIdentically(string name)
    {
        var tokenizer = Get(name);
        string folder = Path.Combine(Path.GetTempPath(), "convdeberta-tok-" + Guid.NewGuid().ToString("N"));
        try
        {
            tokenizer.SaveTo(folder);
            var reloaded = TransformerTokenizer.FromPretrained(folder);
            Assert.AreEqual(tokenizer.GetType(), reloaded.GetType());
            Assert.AreEqual(tokenizer.VocabularySize, reloaded.VocabularySize);
            foreach (var text in ReferenceTokenizers.Corpus().Take(60))
            {
                var a = tokenizer.Encode(text);
                CollectionAssert.AreEqual(a.InputIds, reloaded.Encode(text).InputIds, text);
                Assert.AreEqual(tokenizer.Decode(a.InputIds), reloaded.Decode(a.InputIds), text);
            }
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }
}
