using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.ConvDeberta.Models.Heads;

/// <summary>
/// The bare encoder as a task model (Hugging Face <c>XxxModel</c>): state-dict keys carry no prefix
/// (<c>embeddings.word_embeddings.weight</c>), exactly like the Python class.
/// </summary>
internal sealed class BaseModel : TaskModel
{
    private readonly TransformerEncoder encoder;
    private readonly IModelFamily family;

    public BaseModel(IModelFamily family, TransformerEncoder encoder) : base(family.ModelType + "-base")
    {
        this.family = family;
        this.encoder = encoder;
        // Register the encoder's own children and parameters at the top level, so keys have no prefix.
        foreach (var (name, child) in encoder.named_children()) register_module(name, child);
        foreach (var (name, parameter) in encoder.named_parameters(recurse: false)) register_parameter(name, parameter);
        foreach (var (name, buffer) in encoder.named_buffers(recurse: false)) register_buffer(name, buffer);
    }

    public override TransformerEncoder Encoder => encoder;
    public override TaskHead Head => TaskHead.Base;
    public override IModelFamily Family => family;

    /// <summary>The family's own initialisation (<see cref="IModelFamily.InitializeWeights"/>).</summary>
    public override void InitializeWeights(IEnumerable<string>? onlyKeys = null) => family.InitializeWeights(this, onlyKeys);

    public override ModelOutput forward(ModelInputs inputs) => new() { Encoder = encoder.forward(inputs) };

    public override void train(bool on = true)
    {
        base.train(on);
        encoder.train(on);
    }
}
