using System.Globalization;
using System.Text;

namespace Microsoft.ML.ConvDeberta.Tokenization;

/// <summary>
/// Character predicates and case mapping with Python's semantics (the reference tokenizers are Python code):
/// <c>str.isspace</c>, <c>str.lower</c> (full case mapping), <c>unicodedata.category</c> on code points.
/// </summary>
internal static class PythonText
{
    /// <summary>Python <c>str.isspace()</c> for one code point (bidi WS/B/S or category Zs).</summary>
    public static bool IsSpace(int cp) => cp switch
    {
        >= 0x09 and <= 0x0D or >= 0x1C and <= 0x20 or 0x85 or 0xA0 or 0x1680 or >= 0x2000 and <= 0x200A
            or 0x2028 or 0x2029 or 0x202F or 0x205F or 0x3000 => true,
        _ => false,
    };

    /// <summary>Unicode White_Space (the <c>\s</c> of the <c>regex</c> module used by GPT-2's pattern).</summary>
    public static bool IsWhiteSpaceProperty(int cp) => cp switch
    {
        >= 0x09 and <= 0x0D or 0x20 or 0x85 or 0xA0 or 0x1680 or >= 0x2000 and <= 0x200A
            or 0x2028 or 0x2029 or 0x202F or 0x205F or 0x3000 => true,
        _ => false,
    };

    /// <summary>Unicode general category of a code point; lone surrogates report <see cref="UnicodeCategory.Surrogate"/>.</summary>
    public static UnicodeCategory Category(int cp) => CharUnicodeInfo.GetUnicodeCategory(cp);

    /// <summary>True for categories whose Python abbreviation starts with "C" (Cc, Cf, Cs, Co, Cn).</summary>
    public static bool IsOtherCategory(int cp) => Category(cp) is UnicodeCategory.Control or UnicodeCategory.Format
        or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned;

    /// <summary>True for letters (Python regex <c>\p{L}</c>).</summary>
    public static bool IsLetter(int cp) => Category(cp) is UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter
        or UnicodeCategory.TitlecaseLetter or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter;

    /// <summary>True for numbers (Python regex <c>\p{N}</c>).</summary>
    public static bool IsNumber(int cp) => Category(cp) is UnicodeCategory.DecimalDigitNumber
        or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber;

    /// <summary>
    /// BERT's <c>_is_punctuation</c>: every ASCII non-alphanumeric printable character, plus Unicode P* categories.
    /// </summary>
    public static bool IsBertPunctuation(int cp)
    {
        if (cp is >= 33 and <= 47 or >= 58 and <= 64 or >= 91 and <= 96 or >= 123 and <= 126) return true;
        return Category(cp) is UnicodeCategory.ConnectorPunctuation or UnicodeCategory.DashPunctuation
            or UnicodeCategory.OpenPunctuation or UnicodeCategory.ClosePunctuation or UnicodeCategory.InitialQuotePunctuation
            or UnicodeCategory.FinalQuotePunctuation or UnicodeCategory.OtherPunctuation;
    }

    /// <summary>Appends Python's <c>c.lower()</c> for one code point (U+0130 becomes "i̇", two code points).</summary>
    public static void AppendLower(StringBuilder sb, int cp)
    {
        if (cp == 0x130) { sb.Append("i\u0307"); return; }
        if (cp is >= 0xD800 and <= 0xDFFF) { sb.Append((char)cp); return; }
        sb.Append(Rune.ToLowerInvariant(new Rune(cp)).ToString());
    }

    /// <summary>Reads the code point at <paramref name="i"/>; a lone surrogate is returned as itself (length 1).</summary>
    public static int CodePointAt(string s, int i, out int length)
    {
        char c = s[i];
        if (char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
        {
            length = 2;
            return char.ConvertToUtf32(c, s[i + 1]);
        }
        length = 1;
        return c;
    }

    /// <summary>Index of the first unpaired surrogate in the span, or -1.</summary>
    public static int FindUnpairedSurrogate(string s, int start, int length)
    {
        for (int i = start; i < start + length; i++)
        {
            if (char.IsHighSurrogate(s[i]) && i + 1 < start + length && char.IsLowSurrogate(s[i + 1])) { i++; continue; }
            if (char.IsSurrogate(s[i])) return i;
        }
        return -1;
    }
}
