using Microsoft.ML.ConvDeberta.Tokenization;

namespace Microsoft.ML.ConvDeberta.MLNet.Scoring;

/// <summary>
/// Tokenizes rows once, with the configured maximum length and truncation. Rows that had to be shortened are counted
/// (for the log); with <see cref="TruncationStrategy.DoNotTruncate"/> an over-long row is an error naming it.
/// </summary>
internal sealed class TextEncoder(TransformerTokenizer tokenizer, int maxLength, TruncationStrategy truncation)
{
    public TransformerTokenizer Tokenizer => tokenizer;
    public int MaxLength => maxLength;

    public (TokenizedText[] Encodings, int TruncatedRows) Encode(IReadOnlyList<string> sentence1, IReadOnlyList<string>? sentence2, string what)
    {
        var whole = tokenizer.EncodeBatch(sentence1, sentence2, new EncodeOptions { Truncation = TruncationStrategy.DoNotTruncate });
        int truncated = 0;
        for (int i = 0; i < whole.Length; i++)
        {
            if (whole[i].Length <= maxLength) continue;
            if (truncation == TruncationStrategy.DoNotTruncate)
                throw new InvalidOperationException(
                    $"Row {i} of the {what} data has {whole[i].Length} tokens, more than the maximum sequence length {maxLength}, and Truncation is DoNotTruncate. " +
                    "Set Truncation to LongestFirst (default), OnlyFirst or OnlySecond, or shorten the text.");
            whole[i] = tokenizer.Encode(sentence1[i], sentence2?[i], new EncodeOptions { MaxLength = maxLength, Truncation = truncation });
            truncated++;
        }
        return (whole, truncated);
    }
}
