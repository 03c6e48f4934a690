using System.Text;
using Microsoft.ML.Tokenizers;
using MlSentencePiece = Microsoft.ML.Tokenizers.SentencePieceTokenizer;

namespace Microsoft.ML.ConvDeberta.Tokenization.SentencePiece;

/// <summary>
/// DeBERTa-v2/v3 tokenizer: SentencePiece unigram over spm.model (Hugging Face <c>DebertaV2Tokenizer</c>), encoded by
/// Microsoft.ML.Tokenizers with three corrections made here: byte-fallback ids (the library's are 255 too high and its
/// token strings wrong), literal special tokens in text (matched before SentencePiece runs), and offsets into the input.
/// </summary>
internal sealed class DebertaSentencePieceTokenizer : TemplateTokenizer
{
    private const char Space = '\u2581';
    private readonly MlSentencePiece _sp;
    private readonly SentencePieceModelFile _model;
    private readonly NormalizedAlignment _alignment;
    private readonly string?[] _controlFix;

    public DebertaSentencePieceTokenizer(TokenizerSettings settings) : base(settings)
    {
        string path = settings.Files["vocab_file"];
        _model = new SentencePieceModelFile(path);
        try
        {
            using var stream = File.OpenRead(path);
            _sp = MlSentencePiece.Create(stream, false, false);
        }
        catch (Exception e) when (e is not IOException)
        {
            throw new InvalidDataException($"'{path}' could not be loaded as a SentencePiece model: {e.Message}", e);
        }
        _alignment = new NormalizedAlignment(s => { _sp.EncodeToTokens(s, out string? n, false, false, false, true); return n ?? s; });
        _controlFix = ControlFixes(_model.CharsMap);
        InitializeAddedTokens(_model.Lookup, _model.Pieces.Length);
    }

    protected override void Validate(string text, string paramName)
    {
        int bad = PythonText.FindUnpairedSurrogate(text, 0, text.Length);
        if (bad >= 0)
            throw new ArgumentException($"The text has an unpaired UTF-16 surrogate (U+{(int)text[bad]:X4}) at index {bad}; SentencePiece needs valid Unicode. Remove or replace it.", paramName);
    }

    protected override void TokenizeText(string text, int start, int length, List<TextPiece> output, ref int word)
    {
        int[]? map = null;
        if (Settings.DoLowerCase || NeedsControlFix(text, start, length)) (text, start, length, map) = Preprocess(text, start, length);
        int before = output.Count;
        if (!Settings.SplitByPunct) EncodeChunk(text, start, length, output, ref word);
        else
        {
            int chunk = start;
            for (int i = start; i < start + length;)
            {
                int cp = PythonText.CodePointAt(text, i, out int n);
                if (PythonText.IsBertPunctuation(cp))
                {
                    if (i > chunk) EncodeChunk(text, chunk, i - chunk, output, ref word);
                    EncodeChunk(text, i, n, output, ref word);
                    chunk = i + n;
                }
                i += n;
            }
            if (chunk < start + length) EncodeChunk(text, chunk, start + length - chunk, output, ref word);
        }
        if (map == null) return;
        for (int k = before; k < output.Count; k++)
        {
            var p = output[k];
            int s = map[p.Start], e = p.Length == 0 ? s : map[p.Start + p.Length - 1] + 1; // map has a sentinel at the end
            output[k] = p with { Start = s, Length = e - s };
        }
    }

    private void EncodeChunk(string text, int start, int length, List<TextPiece> output, ref int word)
    {
        var tokens = _sp.EncodeToTokens(text.Substring(start, length), out string? normalizedOrNull, false, false, false, true);
        string normalized = normalizedOrNull ?? "";
        var spans = _alignment.Align(text, start, length, normalized) ?? Interpolate(start, length, normalized.Length);
        bool first = true;
        for (int k = 0; k < tokens.Count; k++)
        {
            var (offset, len) = tokens[k].Offset.GetOffsetAndLength(normalized.Length);
            if (tokens[k].Value == normalized.Substring(offset, len))
            {
                if (first || normalized[offset] == Space) word++;
                first = false;
                output.Add(Piece(tokens[k].Id, spans, offset, len, word - 1));
                continue;
            }
            // A byte-fallback run: the library reports the char on the first token, zero-length on the others.
            int runEnd = k, to = offset + len;
            while (runEnd + 1 < tokens.Count && tokens[runEnd + 1].Value != Slice(normalized, tokens[runEnd + 1].Offset))
                to = Math.Max(to, tokens[++runEnd].Offset.GetOffsetAndLength(normalized.Length) is var (o, l) ? o + l : to);
            if (first) { word++; first = false; }
            AddBytes(normalized, offset, to, runEnd - k + 1, spans, output, word - 1);
            k = runEnd;
        }
    }

    private void AddBytes(string normalized, int from, int to, int count, (int Start, int End)[] spans, List<TextPiece> output, int word)
    {
        int emitted = 0;
        Span<byte> buffer = stackalloc byte[4];
        for (int i = from; i < to;)
        {
            int cp = PythonText.CodePointAt(normalized, i, out int n);
            int bytes = new Rune(cp).EncodeToUtf8(buffer);
            var (s, e) = (spans[i].Start, spans[i + n - 1].End);
            for (int b = 0; b < bytes; b++, emitted++)
                output.Add(new TextPiece(_model.ByteIds[buffer[b]] is int id and >= 0 ? id : UnkTokenId, s, e - s, word));
            i += n;
        }
        if (emitted != count)
            throw new InvalidOperationException($"Microsoft.ML.Tokenizers returned {count} byte-fallback tokens for '{normalized[from..to]}' ({emitted} UTF-8 bytes); cannot map them to spm.model ids.");
    }

    private static TextPiece Piece(int id, (int Start, int End)[] spans, int offset, int len, int word)
    {
        int s = int.MaxValue, e = -1;
        for (int i = offset; i < offset + len; i++)
        {
            if (spans[i].Start == spans[i].End && len > 1) continue; // the dummy prefix of a longer piece
            s = Math.Min(s, spans[i].Start);
            e = Math.Max(e, spans[i].End);
        }
        if (e < 0) (s, e) = spans[offset];
        // A piece "▁x" spans only x: its space belongs between words.
        if (len > 1 && spans.Length > offset && spans[offset].End <= spans[Math.Min(offset + 1, spans.Length - 1)].Start)
            s = spans[offset + 1].Start;
        return new TextPiece(id, s, e - s, word);
    }

    private static string Slice(string s, Range r) { var (o, l) = r.GetOffsetAndLength(s.Length); return s.Substring(o, l); }

    private static (int Start, int End)[] Interpolate(int start, int length, int count)
    {
        var spans = new (int, int)[count];
        for (int i = 0; i < count; i++)
            spans[i] = (start + (int)((long)i * length / Math.Max(count, 1)), start + (int)((long)(i + 1) * length / Math.Max(count, 1)));
        return spans;
    }

    private bool NeedsControlFix(string text, int start, int length)
    {
        for (int i = start; i < start + length; i++) if (text[i] < 0x80 && _controlFix[text[i]] != null) return true;
        return false;
    }

    /// <summary>
    /// HF's do_lower_case (char by char) and the charsmap's rules for ASCII controls that Microsoft.ML.Tokenizers skips
    /// (it keeps U+0001 as a byte piece where spm removes it), with a map from each output char to its input index.
    /// </summary>
    private (string, int, int, int[]) Preprocess(string text, int start, int length)
    {
        var sb = new StringBuilder(length);
        var map = new List<int>(length + 1);
        for (int i = start; i < start + length;)
        {
            int cp = PythonText.CodePointAt(text, i, out int n);
            int before = sb.Length;
            if (cp < 0x80 && _controlFix[cp] is { } replacement) sb.Append(replacement);
            else if (Settings.DoLowerCase) PythonText.AppendLower(sb, cp);
            else sb.Append(text, i, n);
            for (int q = before; q < sb.Length; q++) map.Add(i + Math.Min(q - before, n - 1));
            i += n;
        }
        map.Add(start + length);
        return (sb.ToString(), 0, sb.Length, [.. map]);
    }

    private static string?[] ControlFixes(PrecompiledCharsMap? charsMap)
    {
        var fixes = new string?[0x80];
        if (charsMap == null) return fixes;
        foreach (int c in Enumerable.Range(1, 0x1F).Append(0x7F))
            if (charsMap.Lookup(((char)c).ToString()) is { } r && r != ((char)c).ToString()) fixes[c] = r;
        return fixes;
    }

    protected override string IdToToken(int id) => _model.Pieces[id];

    /// <summary>DeBERTa's SPMTokenizer.decode: special tokens verbatim (a space before a run of them), pieces via spm.</summary>
    protected override string TokensToString(IReadOnlyList<string> tokens)
    {
        var specials = Settings.SpecialTokens.ToHashSet();
        var sb = new StringBuilder();
        var run = new List<string>();
        bool prevSpecial = false;
        foreach (var token in tokens)
        {
            if (!specials.Contains(token)) { run.Add(token); prevSpecial = false; continue; }
            if (!prevSpecial) sb.Append(' ');
            sb.Append(DecodePieces(run)).Append(token);
            run.Clear();
            prevSpecial = true;
        }
        sb.Append(DecodePieces(run));
        return sb.ToString().Trim(Bert.BertWordPieceTokenizer.PythonWhitespace);
    }

    /// <summary>spm's DecodePieces: byte pieces to UTF-8, '▁' to space, the first piece's leading space dropped.</summary>
    private string DecodePieces(List<string> pieces)
    {
        var sb = new StringBuilder();
        var bytes = new List<byte>();
        void Flush() { if (bytes.Count > 0) sb.Append(Encoding.UTF8.GetString(bytes.ToArray())); bytes.Clear(); }
        foreach (var p in pieces)
        {
            int? id = _model.Lookup(p);
            int b = id is int i ? Array.IndexOf(_model.ByteIds, i) : -1;
            if (b >= 0) { bytes.Add((byte)b); continue; }
            Flush();
            sb.Append(p.Replace(Space, ' '));
        }
        Flush();
        return pieces.Count > 0 && pieces[0].StartsWith(Space) && sb.Length > 0 && sb[0] == ' ' ? sb.ToString(1, sb.Length - 1) : sb.ToString();
    }
}
