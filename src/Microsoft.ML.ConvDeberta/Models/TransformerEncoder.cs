using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.ConvDeberta.Models;

/// <summary>
/// The bare encoder of a family (Hugging Face <c>ConvBertModel</c>, <c>DebertaModel</c>, <c>DebertaV2Model</c>).
/// Its submodules carry the state-dict names under the family's base prefix ("convbert", "deberta").
/// </summary>
internal abstract class TransformerEncoder : nn.Module<ModelInputs, EncoderOutput>
{
    protected TransformerEncoder(string name) : base(name) { }

    /// <summary>The config it was built from.</summary>
    public abstract PretrainedConfig Config { get; }

    /// <summary>The input word embeddings (masked-LM decoders tie to them).</summary>
    public abstract Embedding WordEmbeddings { get; }

    /// <summary>Which optional outputs <c>forward</c> collects; set before calling.</summary>
    public OutputOptions Outputs { get; set; } = OutputOptions.None;
}

/// <summary>
/// A family's model with one task head on top of its encoder (or the encoder alone for <see cref="TaskHead.Base"/>).
/// State-dict keys equal the Hugging Face keys of the corresponding <c>XxxFor...</c> class.
/// </summary>
internal abstract class TaskModel : nn.Module<ModelInputs, ModelOutput>
{
    protected TaskModel(string name) : base(name) { }

    /// <summary>The encoder inside (for the base head, the model itself is the encoder's wrapper).</summary>
    public abstract TransformerEncoder Encoder { get; }

    /// <summary>The head this model computes.</summary>
    public abstract TaskHead Head { get; }

    /// <summary>The family this model belongs to.</summary>
    public abstract IModelFamily Family { get; }

    /// <summary>
    /// Keys that alias another parameter (tied weights: key → the key it shares storage with).
    /// safetensors files omit them; the loader re-ties instead of reporting them missing.
    /// </summary>
    public virtual IReadOnlyDictionary<string, string> TiedWeights => new Dictionary<string, string>();

    /// <summary>
    /// Initialises parameters the way Hugging Face's <c>_init_weights</c> does (normal(0, initializer_range) for
    /// linear/embedding weights, zero biases, LayerNorm 1/0, padding row 0). Used for heads a checkpoint lacks.
    /// </summary>
    public abstract void InitializeWeights(IEnumerable<string>? onlyKeys = null);
}
