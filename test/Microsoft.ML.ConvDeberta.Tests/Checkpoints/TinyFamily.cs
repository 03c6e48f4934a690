using Microsoft.ML.ConvDeberta.Models;
using Microsoft.ML.ConvDeberta.Models.Heads;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using TransformerEncoder = Microsoft.ML.ConvDeberta.Models.TransformerEncoder;

namespace Microsoft.ML.ConvDeberta.Tests.Checkpoints;

// A test-only family small enough to reason about key by key: it exercises the checkpoint plumbing
// (prefixes, legacy names, tied weights, head initialisation) without depending on a real architecture.
// ModelFamilies only scans the library assembly, so it never shows up as a supported model_type.

internal sealed record TinyConfig : PretrainedConfig
{
    public TinyConfig()
    {
        VocabSize = 11;
        HiddenSize = 4;
        NumHiddenLayers = 1;
        NumAttentionHeads = 1;
        IntermediateSize = 8;
    }

    public override string ModelType => "tiny-test";
}

internal sealed class TinyEncoder : TransformerEncoder
{
    private readonly TinyConfig config;
    private readonly TinyEmbeddings embeddings;
    private readonly Linear dense;

    public TinyEncoder(TinyConfig config) : base("tiny")
    {
        this.config = config;
        embeddings = new TinyEmbeddings(config);
        dense = nn.Linear(config.HiddenSize, config.HiddenSize);
        RegisterComponents();
    }

    public override PretrainedConfig Config => config;
    public override Embedding WordEmbeddings => embeddings.word_embeddings;

    public override EncoderOutput forward(ModelInputs inputs) =>
        new() { LastHiddenState = dense.forward(embeddings.forward(inputs.InputIds)) };
}

internal sealed class TinyEmbeddings : nn.Module<Tensor, Tensor>
{
    public readonly Embedding word_embeddings;
    public readonly LayerNorm LayerNorm;

    public TinyEmbeddings(TinyConfig config) : base("embeddings")
    {
        word_embeddings = nn.Embedding(config.VocabSize, config.HiddenSize);
        LayerNorm = nn.LayerNorm(config.HiddenSize);
        RegisterComponents();
    }

    public override Tensor forward(Tensor ids) => LayerNorm.forward(word_embeddings.forward(ids));
}

/// <summary>Encoder + <c>lm_head</c> whose weight IS the word embedding matrix (tied, like HF masked-LM decoders).</summary>
internal sealed class TinyMaskedLM : TaskModel
{
    private readonly TinyEncoder tiny;
    private readonly Linear lm_head;
    private readonly IModelFamily family;

    public TinyMaskedLM(IModelFamily family, TinyConfig config) : base("tiny-mlm")
    {
        this.family = family;
        tiny = new TinyEncoder(config);
        lm_head = nn.Linear(config.HiddenSize, config.VocabSize);
        lm_head.weight = tiny.WordEmbeddings.weight!;
        RegisterComponents();
    }

    public override TransformerEncoder Encoder => tiny;
    public override TaskHead Head => TaskHead.MaskedLM;
    public override IModelFamily Family => family;
    public override IReadOnlyDictionary<string, string> TiedWeights =>
        new Dictionary<string, string> { ["lm_head.weight"] = "tiny.embeddings.word_embeddings.weight" };

    public override void InitializeWeights(IEnumerable<string>? onlyKeys = null) =>
        WeightInit.Apply(this, tiny.Config.InitializerRange, tiny.Config.PadTokenId, onlyKeys);

    public override ModelOutput forward(ModelInputs inputs)
    {
        var encoded = tiny.forward(inputs);
        return new ModelOutput { Logits = lm_head.forward(encoded.LastHiddenState), Encoder = encoded };
    }
}

internal sealed class TinyFamily : IModelFamily
{
    public string ModelType => "tiny-test";
    public Type ConfigType => typeof(TinyConfig);
    public string BasePrefix => "tiny";
    public IReadOnlyDictionary<string, TaskHead> HeadsByClassName { get; } = new Dictionary<string, TaskHead>
    {
        ["TinyModel"] = TaskHead.Base,
        ["TinyForMaskedLM"] = TaskHead.MaskedLM,
        ["TinyForTokenClassification"] = TaskHead.TokenClassification,
    };

    public TaskModel Create(PretrainedConfig config, TaskHead head)
    {
        var tiny = (TinyConfig)config;
        TaskModel model = head switch
        {
            TaskHead.Base => new BaseModel(this, new TinyEncoder(tiny)),
            TaskHead.MaskedLM => new TinyMaskedLM(this, tiny),
            TaskHead.TokenClassification => new TokenClassificationModel(this, new TinyEncoder(tiny), 0),
            _ => throw new NotSupportedException($"The tiny test family has no {head} head."),
        };
        model.InitializeWeights();
        return model;
    }

    public string? MapLegacyKey(string key) =>
        key.EndsWith("position_ids", StringComparison.Ordinal) ? null
        : key.Replace("LayerNorm.gamma", "LayerNorm.weight", StringComparison.Ordinal).Replace("LayerNorm.beta", "LayerNorm.bias", StringComparison.Ordinal);
}
