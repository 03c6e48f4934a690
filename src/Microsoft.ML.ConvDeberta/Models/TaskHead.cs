namespace Microsoft.ML.ConvDeberta.Models;

/// <summary>The task heads every family provides (Hugging Face's <c>XxxFor...</c> classes).</summary>
public enum TaskHead
{
    /// <summary>The bare encoder (<c>XxxModel</c>).</summary>
    Base,
    /// <summary>Masked language modelling with the decoder tied to the word embeddings (<c>XxxForMaskedLM</c>).</summary>
    MaskedLM,
    /// <summary>Sequence classification or regression (<c>XxxForSequenceClassification</c>).</summary>
    SequenceClassification,
    /// <summary>Per-token classification such as NER (<c>XxxForTokenClassification</c>).</summary>
    TokenClassification,
    /// <summary>Extractive question answering, start/end logits (<c>XxxForQuestionAnswering</c>).</summary>
    QuestionAnswering,
    /// <summary>Multiple choice over [B, C, L] inputs (<c>XxxForMultipleChoice</c>).</summary>
    MultipleChoice,
}
