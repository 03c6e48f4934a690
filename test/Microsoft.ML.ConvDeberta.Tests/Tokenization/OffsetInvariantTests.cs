using System.Globalization;
using System.Text;
using Microsoft.ML.ConvDeberta.Tokenization;
using Microsoft.ML.ConvDeberta.Tokenization.Bpe;

namespace Microsoft.ML.ConvDeberta.Tests.Tokenization;

/// <summary>
/// Offsets point into the ORIGINAL string: on every corpus line (and its pair) each token's span reads back as the
/// token (modulo lower-casing, accent stripping, NFKC and byte-level pieces), spans are ordered and do not overlap,
/// and word ids group sub-words.
/// </summary>
[TestClass]
public class OffsetInvariantTests
{
    public static IEnumerable<object[]> Names() => ReferenceTokenizers.Names();

    [TestMethod, TestCategory("TokenizerParity")]
    [DynamicData(nameof(Names))]
    public void SpansReadBackAsTokensOnEveryCorpusLine(string name)
    {
        if (name == ReferenceTokenizers.Missing) ReferenceTokenizers.Entry(name);
        var tokenizer = (TemplateTokenizer)ReferenceTokenizers.Get(name);
        var corpus = ReferenceTokenizers.Corpus();
        int checkedTokens = 0;
        for (int line = 0; line < corpus.Count; line++)
        {
            string a = corpus[line], b = corpus[(line + 1) % corpus.Count];
            var encoding = tokenizer.Encode(a, b);
            int prevEnd = 0, prevStart = -1, prevWord = -1, prevSeq = 0;
            for (int t = 0; t < encoding.Length; t++)
            {
                if (encoding.SpecialTokensMask[t] == 1)
                {
                    Assert.IsNull(encoding.SequenceIds[t]);
                    Assert.IsNull(encoding.WordIds[t]);
                    continue;
                }
                int seq = encoding.SequenceIds[t]!.Value, word = encoding.WordIds[t]!.Value;
                if (seq != prevSeq) (prevEnd, prevStart, prevWord, prevSeq) = (0, -1, -1, seq);
                string text = seq == 0 ? a : b;
                var (start, length) = encoding.Offsets[t];
                string where = $"{name} line {line} {(seq == 0 ? "text" : "pair")} token {t} '{tokenizer.TokenOf(encoding.InputIds[t])}' span ({start},{length}) in \"{text}\"";
                Assert.IsTrue(start >= 0 && start + length <= text.Length, $"{where}: span outside the text");
                // Byte-level pieces may split one character: both then cover it (as Hugging Face's fast tokenizers do).
                // One character may also expand into several tokens (NFD of a Hangul syllable, Thai vowel marks): same span.
                bool sharedChar = start < prevEnd && (start == prevStart && start + length == prevEnd
                    || tokenizer.Settings.Family != TokenizerFamily.WordPiece && char.ConvertToUtf32(text, start) is var cp && start + (cp > 0xFFFF ? 2 : 1) == prevEnd);
                Assert.IsTrue(start >= prevEnd || sharedChar, $"{where}: overlaps or precedes the previous token (ended at {prevEnd})");
                Assert.IsTrue(word >= prevWord, $"{where}: word id {word} after {prevWord}");
                Assert.IsTrue(WordBoundaryConsistent(tokenizer, encoding.InputIds[t], word, prevWord), $"{where}: word id {word} does not follow the token's word boundary (previous {prevWord})");
                Assert.IsTrue(ReadsBack(tokenizer, encoding.InputIds[t], text.Substring(start, length)), $"{where}: the span reads \"{text.Substring(start, length)}\"");
                (prevStart, prevEnd, prevWord) = (start, start + length, word);
                checkedTokens++;
            }
        }
        Assert.IsTrue(checkedTokens > 1000, $"{name}: only {checkedTokens} tokens checked");
        if (tokenizer is Microsoft.ML.ConvDeberta.Tokenization.SentencePiece.DebertaSentencePieceTokenizer sp)
            Assert.AreEqual(0, sp.AlignmentFallbacks, $"{name}: offsets were interpolated for some lines (normalization alignment failed)");
    }

    private static bool WordBoundaryConsistent(TemplateTokenizer tokenizer, int id, int word, int prevWord)
    {
        string token = tokenizer.TokenOf(id);
        return tokenizer.Settings.Family switch
        {
            TokenizerFamily.WordPiece => token.StartsWith("##", StringComparison.Ordinal) ? word == prevWord : word > prevWord,
            TokenizerFamily.SentencePiece => !token.StartsWith('\u2581') || word > prevWord,
            _ => true,
        };
    }

    private static bool ReadsBack(TemplateTokenizer tokenizer, int id, string span)
    {
        string token = tokenizer.TokenOf(id);
        if (tokenizer.AddedTokens.Any(t => t.Id == id) && token != tokenizer.Settings.UnkToken) return span == token;
        switch (tokenizer.Settings.Family)
        {
            case TokenizerFamily.WordPiece:
                if (id == tokenizer.UnkTokenId) return span.Length > 0;
                string surface = token.StartsWith("##", StringComparison.Ordinal) ? token[2..] : token;
                return Fold(span, tokenizer.Settings.DoLowerCase) == Fold(surface, false)
                    || IsOneCluster(span) && Fold(span, tokenizer.Settings.DoLowerCase).Contains(Fold(surface, false), StringComparison.Ordinal);
            case TokenizerFamily.ByteLevelBpe:
                byte[] tokenBytes = token.Select(c => ByteLevelBpeModel.CharToByte[c]).ToArray();
                return Encoding.UTF8.GetBytes(span).AsSpan().IndexOf(tokenBytes) >= 0;
            default:
                if (token.Length == 6 && token.StartsWith("<0x", StringComparison.Ordinal))
                    return Encoding.UTF8.GetBytes(span.Normalize(NormalizationForm.FormKC)).Contains(Convert.ToByte(token[3..5], 16)) || span.Length > 0;
                string piece = token.Replace("\u2581", "");
                return piece.Length == 0 || Squash(span) == Squash(piece) || StripMarks(Squash(span)) == StripMarks(Squash(piece))
                    || IsOneCluster(span) && Squash(span).Normalize(NormalizationForm.FormD).Contains(Squash(piece).Normalize(NormalizationForm.FormD), StringComparison.Ordinal);
        }
    }

    /// <summary>What BERT's normalization makes of a span, decomposed: lower-cased, accents stripped (NFD).</summary>
    private static string Fold(string s, bool lower)
    {
        var sb = new StringBuilder();
        var lowered = new StringBuilder();
        foreach (var rune in s.EnumerateRunes()) if (lower) PythonText.AppendLower(lowered, rune.Value); else lowered.Append(rune.ToString());
        foreach (char c in lowered.ToString().Normalize(NormalizationForm.FormD))
            if ((!lower || CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark) && !char.IsControl(c) && c != '\uFFFD') sb.Append(c);
        return sb.ToString();
    }

    /// <summary>Without combining marks: a piece may end inside a character cluster whose span it then shares.</summary>
    private static string StripMarks(string s) => new(s.Normalize(NormalizationForm.FormD).Where(c => CharUnicodeInfo.GetUnicodeCategory(c)
        is not (UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark)).ToArray());

    /// <summary>One character with its combining marks: tokens cut inside it share its span.</summary>
    private static bool IsOneCluster(string s) => s.Length > 0 && s.EnumerateRunes().Skip(1).All(r =>
        Rune.GetUnicodeCategory(r) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark);

    /// <summary>NFKC without whitespace, for comparing SentencePiece pieces with input spans.</summary>
    private static string Squash(string s) =>
        new string(s.Normalize(NormalizationForm.FormKC).Where(c => !char.IsWhiteSpace(c) && c != '\u2581').ToArray());
}
