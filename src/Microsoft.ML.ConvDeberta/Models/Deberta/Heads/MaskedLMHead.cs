using Microsoft.ML.ConvDeberta.Models.Heads;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.ConvDeberta.Models.Deberta.Heads;

/// <summary>
/// <c>lm_predictions.*</c>, DeBERTa's original masked-LM head (config <c>legacy: false</c>):
/// logits = LayerNorm(act(<c>lm_head.dense</c>(h))) · Eᵀ + <c>lm_head.bias</c>, where E is the word-embedding table
/// read at call time (not a copy). Needs embedding_size == hidden_size.
/// </summary>
internal sealed class MaskedLMHead : nn.Module<Tensor, Tensor>
{
    private readonly LmHead lm_head;

    public MaskedLMHead(TransformerEncoder encoder) : base(nameof(MaskedLMHead))
    {
        lm_head = new LmHead(encoder);
        RegisterComponents();
    }

    /// <param name="hidden">(b, l, h)</param>
    /// <returns>(b, l, vocab)</returns>
    public override Tensor forward(Tensor hidden) => lm_head.forward(hidden);

    /// <summary><c>lm_predictions.lm_head.*</c>.</summary>
    private sealed class LmHead : nn.Module<Tensor, Tensor>
    {
        private readonly Linear dense;
        private readonly LayerNorm LayerNorm;
        private readonly Parameter bias;
        private readonly Func<Tensor, Tensor> activation;
        // A delegate, not a module field: RegisterComponents must not adopt the encoder as a child.
        private readonly Func<Tensor> wordEmbeddings;

        public LmHead(TransformerEncoder encoder) : base(nameof(LmHead))
        {
            var config = encoder.Config;
            if (DebertaHeadConfig.Of(encoder).EmbeddingSize != config.HiddenSize)
                throw new InvalidDataException(
                    $"config.json ({config.ModelType}): 'legacy' = false (lm_predictions head) needs embedding_size == hidden_size; set legacy to true for this checkpoint.");
            wordEmbeddings = () => encoder.WordEmbeddings.weight!;
            dense = nn.Linear(config.HiddenSize, config.HiddenSize);
            LayerNorm = nn.LayerNorm(config.HiddenSize, config.LayerNormEps);
            bias = new Parameter(torch.zeros(config.VocabSize));
            activation = Activations.Get(config.HiddenAct, "hidden_act");
            RegisterComponents();
        }

        public override Tensor forward(Tensor hidden)
        {
            using var scope = NewDisposeScope();
            var transformed = LayerNorm.forward(activation(dense.forward(hidden)));              // (b, l, h)
            var embeddings = wordEmbeddings();                                                     // (vocab, h)
            return (torch.matmul(transformed, embeddings.t()) + bias).MoveToOuterDisposeScope();  // (b, l, vocab)
        }
    }
}
