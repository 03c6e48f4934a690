using System.Text;
using Microsoft.ML.ConvDeberta.Tokenization;

namespace Microsoft.ML.ConvDeberta.Tests.Tokenization;

/// <summary>
/// Robustness beyond the corpus: deterministic random strings mixing scripts, combining marks, jamo, emoji, controls,
/// odd spaces and literal special tokens never throw, keep spans inside the text and in order, and decode without error.
/// </summary>
[TestClass]
public class RandomTextTests
{
    public static IEnumerable<object[]> Names() => ReferenceTokenizers.Names();

    private static readonly (int From, int To)[] Ranges =
    [
        (0x20, 0x7E), (0x20, 0x7E), (0x00, 0x1F), (0xA0, 0x17F), (0x300, 0x36F), (0x391, 0x3C9), (0x400, 0x44F),
        (0x5D0, 0x5EA), (0x620, 0x65F), (0xE01, 0xE4E), (0x1100, 0x11FF), (0x2000, 0x206F), (0x3000, 0x30FF),
        (0x4E00, 0x4FFF), (0xAC00, 0xAD00), (0xFF01, 0xFF5E), (0x1F300, 0x1F64F), (0x20000, 0x20100),
    ];

    private static string RandomText(Random random)
    {
        var sb = new StringBuilder();
        int n = random.Next(0, 40);
        for (int i = 0; i < n; i++)
        {
            if (random.Next(25) == 0) { sb.Append(random.Next(2) == 0 ? " [MASK] " : "[CLS]"); continue; }
            var (from, to) = Ranges[random.Next(Ranges.Length)];
            sb.Append(char.ConvertFromUtf32(random.Next(from, to + 1)));
        }
        return sb.ToString();
    }

    [TestMethod, TestCategory("TokenizerParity")]
    [DynamicData(nameof(Names))]
    public void RandomTextsEncodeWithValidSpans(string name)
    {
        if (name == ReferenceTokenizers.Missing) ReferenceTokenizers.Entry(name);
        var tokenizer = ReferenceTokenizers.Get(name);
        var random = new Random(1234);
        for (int k = 0; k < 400; k++)
        {
            string a = RandomText(random), b = RandomText(random);
            var e = tokenizer.Encode(a, b, new EncodeOptions { MaxLength = 64, Truncation = TruncationStrategy.OnlySecond, Stride = 3, ReturnOverflowingTokens = a.Length < 20 });
            foreach (var w in new[] { e }.Concat(e.Overflowing))
            {
                int prevStart = 0, seq = 0;
                for (int t = 0; t < w.Length; t++)
                {
                    if (w.SequenceIds[t] is not int s) continue;
                    if (s != seq) (seq, prevStart) = (s, 0);
                    string text = s == 0 ? a : b;
                    var (start, length) = w.Offsets[t];
                    Assert.IsTrue(start >= prevStart && length >= 0 && start + length <= text.Length,
                        $"{name}: sample {k} token {t} span ({start},{length}) after {prevStart} in {Escape(text)}");
                    prevStart = start;
                }
                Assert.IsNotNull(tokenizer.Decode(w.InputIds, skipSpecialTokens: k % 2 == 0));
            }
        }
    }

    private static string Escape(string s) => string.Concat(s.Select(c => c < 0x20 || c > 0x7E ? $"\\u{(int)c:X4}" : c.ToString()));
}
