namespace Microsoft.ML.ConvDeberta.Models;

/// <summary>
/// One architecture family: its config type, the task models it can build, and the Hugging Face class names
/// that map to them. Families register in <see cref="ModelFamilies"/>.
/// </summary>
internal interface IModelFamily
{
    /// <summary>The <c>model_type</c> in config.json.</summary>
    string ModelType { get; }

    /// <summary>The config record type (derives from <see cref="PretrainedConfig"/>).</summary>
    Type ConfigType { get; }

    /// <summary>Hugging Face class name → head, e.g. "DebertaV2ForMaskedLM" → MaskedLM.</summary>
    IReadOnlyDictionary<string, TaskHead> HeadsByClassName { get; }

    /// <summary>The prefix of the encoder inside task models ("convbert", "deberta").</summary>
    string BasePrefix { get; }

    /// <summary>
    /// Builds the model for <paramref name="head"/> with Hugging Face-initialised weights. Variants of a head
    /// are chosen by the config, as in Hugging Face (e.g. DeBERTa's <c>legacy: false</c> masked-LM head).
    /// </summary>
    TaskModel Create(PretrainedConfig config, TaskHead head);

    /// <summary>
    /// Renames a legacy checkpoint key to its current spelling (e.g. <c>LayerNorm.gamma</c> → <c>LayerNorm.weight</c>);
    /// returns the key unchanged when nothing applies, or null for keys to ignore (non-persistent buffers such as
    /// <c>embeddings.position_ids</c> that old checkpoints still carry).
    /// </summary>
    string? MapLegacyKey(string key);

    /// <summary>
    /// Hugging Face's <c>_init_weights</c> for any model of this family, including the shared task models in
    /// <c>Models/Heads</c>; <paramref name="onlyKeys"/> restricts it to those state-dict keys (null = all).
    /// The default knows Linear, Embedding (padding row of the word embeddings zeroed) and LayerNorm only; a family
    /// with other parameters (free biases, convolutions) overrides it.
    /// </summary>
    void InitializeWeights(TaskModel model, IEnumerable<string>? onlyKeys = null) =>
        Heads.WeightInit.Apply(model, model.Encoder.Config.InitializerRange, model.Encoder.Config.PadTokenId, onlyKeys);
}
