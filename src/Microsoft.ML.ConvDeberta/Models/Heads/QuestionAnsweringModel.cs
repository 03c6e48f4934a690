using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.ConvDeberta.Models.Heads;

/// <summary>
/// <c>XxxForQuestionAnswering</c>, identical in every family: <c>qa_outputs</c> maps each position to
/// start/end logits; the loss is the mean of start and end cross-entropies with out-of-range positions ignored.
/// </summary>
internal sealed class QuestionAnsweringModel : EncoderTaskModel
{
    private readonly Linear qa_outputs;

    public QuestionAnsweringModel(IModelFamily family, TransformerEncoder encoder) : base(family, encoder, "question-answering")
    {
        qa_outputs = nn.Linear(encoder.Config.HiddenSize, encoder.Config.NumLabels);
        register_module("qa_outputs", qa_outputs);
    }

    public override TaskHead Head => TaskHead.QuestionAnswering;

    public override ModelOutput forward(ModelInputs inputs)
    {
        var encoded = Encoder.forward(inputs);
        var logits = qa_outputs.forward(encoded.LastHiddenState);          // (b, l, 2)
        var parts = logits.split(1, -1);
        var start = parts[0].squeeze(-1).contiguous();                      // (b, l)
        var end = parts[1].squeeze(-1).contiguous();                        // (b, l)
        Tensor? loss = inputs.StartPositions is not null && inputs.EndPositions is not null
            ? Losses.SpanExtraction(start, end, inputs.StartPositions, inputs.EndPositions)
            : null;
        return new ModelOutput { StartLogits = start, EndLogits = end, Loss = loss, Encoder = encoded };
    }
}
