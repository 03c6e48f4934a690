using Microsoft.ML.ConvDeberta.Models;
using Microsoft.ML.ConvDeberta.Tokenization;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.ConvDeberta.Training.Tasks;

/// <summary>The one padding/collation component: tokenized rows → padded int64 tensors on a device.</summary>
internal static class EncodedBatches
{
    /// <summary>Pads the selected encodings to their longest and builds <see cref="ModelInputs"/>.</summary>
    /// <param name="tokenizer">Supplies the pad id.</param>
    /// <param name="encodings">All tokenized rows.</param>
    /// <param name="rows">Indices of the rows in this batch.</param>
    /// <param name="device">Where the tensors are created.</param>
    /// <param name="useTokenTypes">Pass token_type_ids only to models whose type_vocab_size &gt; 0 (as Hugging Face does).</param>
    public static (ModelInputs Inputs, long Tokens) Collate(TransformerTokenizer tokenizer, IReadOnlyList<TokenizedText> encodings,
        IReadOnlyList<int> rows, bool useTokenTypes, Device device)
    {
        var selected = rows.Select(r => encodings[r]).ToArray();
        var padded = tokenizer.Pad(selected);
        long[] shape = [padded.Count, padded.SequenceLength];
        var inputs = new ModelInputs
        {
            InputIds = torch.tensor(padded.InputIds, shape, ScalarType.Int64).to(device),
            AttentionMask = torch.tensor(padded.AttentionMask, shape, ScalarType.Int64).to(device),
            TokenTypeIds = useTokenTypes ? torch.tensor(padded.TokenTypeIds, shape, ScalarType.Int64).to(device) : null,
        };
        return (inputs, selected.Sum(e => (long)e.Length));
    }
}
