namespace Microsoft.ML.ConvDeberta.Models.Heads;

/// <summary>
/// A task model of the form Hugging Face's <c>XxxFor…</c> classes share: the family's encoder registered under its base
/// prefix ("deberta.", "convbert."), followed by the head's own modules, which the subclass registers after it.
/// Initialisation is the family's (<see cref="IModelFamily.InitializeWeights"/>).
/// </summary>
internal abstract class EncoderTaskModel : TaskModel
{
    private readonly TransformerEncoder encoder;
    private readonly IModelFamily family;

    /// <param name="family">The family (base prefix, initialisation).</param>
    /// <param name="encoder">The bare encoder, registered first so its keys lead the state dict.</param>
    /// <param name="headName">Suffix of the module name, e.g. "token-classification".</param>
    protected EncoderTaskModel(IModelFamily family, TransformerEncoder encoder, string headName) : base(family.ModelType + "-" + headName)
    {
        this.family = family;
        this.encoder = encoder;
        register_module(family.BasePrefix, encoder);
    }

    public sealed override TransformerEncoder Encoder => encoder;
    public sealed override IModelFamily Family => family;

    /// <summary>The family's own initialisation (<see cref="IModelFamily.InitializeWeights"/>).</summary>
    public override void InitializeWeights(IEnumerable<string>? onlyKeys = null) => family.InitializeWeights(this, onlyKeys);
}
