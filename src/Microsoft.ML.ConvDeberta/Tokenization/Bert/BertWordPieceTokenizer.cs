using System.Text;

namespace Microsoft.ML.ConvDeberta.Tokenization.Bert;

/// <summary>ConvBERT/BERT tokenizer: BERT basic tokenization then WordPiece over vocab.txt (Hugging Face <c>BertTokenizer</c>).</summary>
internal sealed class BertWordPieceTokenizer : TemplateTokenizer
{
    private readonly WordPieceVocabulary _vocab;
    private readonly BertBasicTokenizer _basic;

    public BertWordPieceTokenizer(TokenizerSettings settings) : base(settings)
    {
        _vocab = new WordPieceVocabulary(settings.Files["vocab_file"]);
        _basic = new BertBasicTokenizer(settings.DoLowerCase, settings.StripAccents, settings.TokenizeChineseChars);
        InitializeAddedTokens(_vocab.Lookup, _vocab.Count);
    }

    protected override void TokenizeText(string text, int start, int length, List<TextPiece> output, ref int word)
    {
        var words = Settings.DoBasicTokenize ? _basic.Tokenize(text, start, length) : SplitOnWhitespace(text, start, length);
        var pieces = new List<(int Id, int Start, int End)>();
        foreach (var w in words)
        {
            pieces.Clear();
            _vocab.Split(w.Text, UnkTokenId, pieces);
            foreach (var (id, s, e) in pieces)
                output.Add(new TextPiece(id, w.Starts[s], w.Ends[e - 1] - w.Starts[s], word));
            word++;
        }
    }

    /// <summary>do_basic_tokenize=false: whitespace split only (lower-cased first when do_lower_case, as HF's tokenize does).</summary>
    private List<BasicToken> SplitOnWhitespace(string text, int start, int length)
    {
        var result = new List<BasicToken>();
        var sb = new StringBuilder();
        var starts = new List<int>();
        var ends = new List<int>();
        for (int i = start; i <= start + length;)
        {
            int n = 1, cp = i < start + length ? PythonText.CodePointAt(text, i, out n) : ' ';
            if (PythonText.IsSpace(cp))
            {
                if (sb.Length > 0) result.Add(new BasicToken(sb.ToString(), starts.ToArray(), ends.ToArray()));
                sb.Clear(); starts.Clear(); ends.Clear();
            }
            else
            {
                int before = sb.Length;
                if (Settings.DoLowerCase) PythonText.AppendLower(sb, cp); else sb.Append(text, i, n);
                for (int q = before; q < sb.Length; q++) { starts.Add(i); ends.Add(i + n); }
            }
            i += n;
        }
        return result;
    }

    protected override string IdToToken(int id) => _vocab.Token(id);

    protected override string TokensToString(IReadOnlyList<string> tokens) => string.Join(" ", tokens).Replace(" ##", "").Trim(PythonWhitespace);

    internal static readonly char[] PythonWhitespace = [.. Enumerable.Range(0, 0x3001).Where(PythonText.IsSpace).Select(c => (char)c)];
}
