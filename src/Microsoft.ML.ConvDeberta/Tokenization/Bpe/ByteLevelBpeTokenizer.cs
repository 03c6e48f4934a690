using System.Text;

namespace Microsoft.ML.ConvDeberta.Tokenization.Bpe;

/// <summary>DeBERTa (v1) tokenizer: GPT-2 pre-tokenization + byte-level BPE (Hugging Face <c>DebertaTokenizer</c>).</summary>
internal sealed class ByteLevelBpeTokenizer : TemplateTokenizer
{
    private readonly ByteLevelBpeModel _model;

    public ByteLevelBpeTokenizer(TokenizerSettings settings) : base(settings)
    {
        _model = new ByteLevelBpeModel(settings.Files["vocab_file"], settings.Files["merges_file"]);
        InitializeAddedTokens(_model.Lookup, _model.Count);
    }

    /// <summary>Python cannot UTF-8-encode a lone surrogate (UnicodeEncodeError): refuse it with its position.</summary>
    protected override void Validate(string text, string paramName)
    {
        int bad = PythonText.FindUnpairedSurrogate(text, 0, text.Length);
        if (bad >= 0)
            throw new ArgumentException($"The text has an unpaired UTF-16 surrogate (U+{(int)text[bad]:X4}) at index {bad}; byte-level BPE needs valid Unicode. Remove or replace it.", paramName);
    }

    protected override void TokenizeText(string text, int start, int length, List<TextPiece> output, ref int word)
    {
        // add_prefix_space: HF prepends " " to the whole text unless it starts with whitespace; the space maps to no input char.
        bool prefix = Settings.AddPrefixSpace && start == 0 && length > 0 && !PythonText.IsSpace(text[0]);
        string s = prefix ? " " + text.Substring(start, length) : text.Substring(start, length);
        int shift = prefix ? start - 1 : start;
        var preTokens = new List<(int Start, int Length)>();
        Gpt2PreTokenizer.Split(s, preTokens);
        var byteToChar = new List<int>();
        var encoded = new StringBuilder();
        Span<byte> buffer = stackalloc byte[4];
        foreach (var (ps, pl) in preTokens)
        {
            byteToChar.Clear();
            encoded.Clear();
            for (int i = ps; i < ps + pl;)
            {
                int cp = PythonText.CodePointAt(s, i, out int n);
                int bytes = new Rune(cp).EncodeToUtf8(buffer);
                for (int b = 0; b < bytes; b++) { encoded.Append(ByteLevelBpeModel.ByteToChar[buffer[b]]); byteToChar.Add(i); }
                i += n;
            }
            int unk = UnkTokenId, at = 0;
            foreach (var piece in _model.Merge(encoded.ToString()))
            {
                int first = byteToChar[at], last = byteToChar[at + piece.Length - 1];
                int end = last + (char.IsHighSurrogate(s[last]) ? 2 : 1);
                int from = Math.Max(first + shift, start), to = Math.Max(end + shift, start);
                output.Add(new TextPiece(_model.Lookup(piece) ?? unk, from, to - from, word));
                at += piece.Length;
            }
            word++;
        }
    }

    protected override string IdToToken(int id) => _model.Token(id) ?? Settings.UnkToken;

    protected override string TokensToString(IReadOnlyList<string> tokens)
    {
        var bytes = new List<byte>();
        Span<byte> buffer = stackalloc byte[4];
        foreach (var token in tokens)
            foreach (char c in token)
            {
                if (ByteLevelBpeModel.CharToByte.TryGetValue(c, out byte b)) bytes.Add(b);
                else foreach (var x in Encoding.UTF8.GetBytes(c.ToString())) bytes.Add(x);
            }
        return Encoding.UTF8.GetString(bytes.ToArray());
    }
}
