using Microsoft.ML.ConvDeberta.Models.Heads;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.ConvDeberta.Models.Deberta.Heads;

/// <summary>
/// <c>cls.*</c> of the legacy masked-LM head (Hugging Face's LegacyDebertaOnlyMLMHead): <c>predictions.transform.dense</c>
/// (hidden → embedding_size) → activation (hidden_act) → <c>predictions.transform.LayerNorm</c> → <c>predictions.decoder</c>,
/// whose weight IS the word-embedding table and whose bias IS <c>predictions.bias</c>.
/// </summary>
internal sealed class LegacyMaskedLMHead : nn.Module<Tensor, Tensor>
{
    private readonly Predictions predictions;

    public LegacyMaskedLMHead(TransformerEncoder encoder) : base(nameof(LegacyMaskedLMHead))
    {
        predictions = new Predictions(encoder);
        RegisterComponents();
    }

    /// <param name="hidden">(b, l, h)</param>
    /// <returns>(b, l, vocab)</returns>
    public override Tensor forward(Tensor hidden) => predictions.forward(hidden);

    /// <summary><c>cls.predictions.*</c>.</summary>
    private sealed class Predictions : nn.Module<Tensor, Tensor>
    {
        private readonly Transform transform;
        private readonly Linear decoder;
        private readonly Parameter bias;

        public Predictions(TransformerEncoder encoder) : base(nameof(Predictions))
        {
            var config = encoder.Config;
            int width = DebertaHeadConfig.Of(encoder).EmbeddingSize;
            transform = new Transform(config.HiddenSize, width, config.HiddenAct, config.LayerNormEps);
            bias = new Parameter(torch.zeros(config.VocabSize));
            decoder = nn.Linear(width, config.VocabSize);
            decoder.weight = encoder.WordEmbeddings.weight!;   // tied: the same Parameter
            decoder.bias = bias;                                // tied: the same Parameter
            RegisterComponents();
        }

        public override Tensor forward(Tensor hidden)
        {
            using var transformed = transform.forward(hidden);  // (b, l, e)
            return decoder.forward(transformed);                // (b, l, vocab)
        }
    }

    /// <summary><c>cls.predictions.transform.*</c>: LayerNorm(act(dense(h))).</summary>
    private sealed class Transform : nn.Module<Tensor, Tensor>
    {
        private readonly Linear dense;
        private readonly LayerNorm LayerNorm;
        private readonly Func<Tensor, Tensor> activation;

        public Transform(int hiddenSize, int embeddingSize, string hiddenAct, double eps) : base(nameof(Transform))
        {
            dense = nn.Linear(hiddenSize, embeddingSize);
            LayerNorm = nn.LayerNorm(embeddingSize, eps);
            activation = Activations.Get(hiddenAct, "hidden_act");
            RegisterComponents();
        }

        public override Tensor forward(Tensor hidden)
        {
            using var scope = NewDisposeScope();
            return LayerNorm.forward(activation(dense.forward(hidden))).MoveToOuterDisposeScope();
        }
    }
}
