using Microsoft.ML.ConvDeberta.MLNet;
using Microsoft.ML.ConvDeberta.MLNet.Interop;

// In the Microsoft.ML namespace, like ML.NET's own catalog extensions: `using Microsoft.ML;` is all a pipeline needs.
namespace Microsoft.ML;

/// <summary>Fine-tuning trainers for regression on <c>mlContext.Regression.Trainers</c>.</summary>
public static class RegressionTrainerExtensions
{
    /// <summary>
    /// Fine-tunes a ConvBERT checkpoint for regression (label: Single; outputs Score).
    /// </summary>
    /// <param name="catalog">The trainers catalog.</param>
    /// <param name="checkpoint">A local Hugging Face ConvBERT checkpoint folder (config.json, weights, tokenizer files) or a Hub id 'org/name[@revision]' (downloaded into the Hugging Face cache).</param>
    /// <param name="labelColumnName">The label column. Default "Label".</param>
    /// <param name="sentence1ColumnName">The text column. Default "Sentence1".</param>
    /// <param name="sentence2ColumnName">Optional second text column for sentence pairs. Default null.</param>
    /// <param name="batchSize">Rows per training batch. Default 32.</param>
    /// <param name="maxEpochs">Passes over the training data. Default 3.</param>
    /// <param name="learningRate">AdamW peak learning rate. Default 2e-5.</param>
    /// <param name="validationSet">Optional validation data; the best epoch's weights are kept. Default null.</param>
    /// <example><code>var trainer = mlContext.Regression.Trainers.ConvBert(checkpoint: "models/tiny", sentence1ColumnName: "Text");</code></example>
    public static PretrainedTextTrainer ConvBert(this RegressionCatalog.RegressionTrainers catalog, string checkpoint, string labelColumnName = "Label",
        string sentence1ColumnName = "Sentence1", string? sentence2ColumnName = null, int batchSize = 32, int maxEpochs = 3,
        double learningRate = 2e-5, IDataView? validationSet = null) =>
        ConvBert(catalog, PretrainedTextTrainerOptions.FromArguments(checkpoint, labelColumnName, sentence1ColumnName, sentence2ColumnName, batchSize, maxEpochs, learningRate, validationSet));

    /// <summary>Fine-tunes a ConvBERT checkpoint for regression with every option (see <see cref="PretrainedTextTrainerOptions"/>).</summary>
    /// <param name="catalog">The trainers catalog.</param>
    /// <param name="options">Checkpoint, columns and training options.</param>
    public static PretrainedTextTrainer ConvBert(this RegressionCatalog.RegressionTrainers catalog, PretrainedTextTrainerOptions options) =>
        new(MLNetInternals.GetEnvironment(catalog), PredictionKind.Regression, "convbert", "Regression.Trainers.ConvBert", options);

    /// <summary>
    /// Fine-tunes a DeBERTa checkpoint for regression (label: Single; outputs Score).
    /// </summary>
    /// <param name="catalog">The trainers catalog.</param>
    /// <param name="checkpoint">A local Hugging Face DeBERTa checkpoint folder (config.json, weights, tokenizer files) or a Hub id 'org/name[@revision]' (downloaded into the Hugging Face cache).</param>
    /// <param name="labelColumnName">The label column. Default "Label".</param>
    /// <param name="sentence1ColumnName">The text column. Default "Sentence1".</param>
    /// <param name="sentence2ColumnName">Optional second text column for sentence pairs. Default null.</param>
    /// <param name="batchSize">Rows per training batch. Default 32.</param>
    /// <param name="maxEpochs">Passes over the training data. Default 3.</param>
    /// <param name="learningRate">AdamW peak learning rate. Default 2e-5.</param>
    /// <param name="validationSet">Optional validation data; the best epoch's weights are kept. Default null.</param>
    /// <example><code>var trainer = mlContext.Regression.Trainers.Deberta(checkpoint: "models/tiny", sentence1ColumnName: "Text");</code></example>
    public static PretrainedTextTrainer Deberta(this RegressionCatalog.RegressionTrainers catalog, string checkpoint, string labelColumnName = "Label",
        string sentence1ColumnName = "Sentence1", string? sentence2ColumnName = null, int batchSize = 32, int maxEpochs = 3,
        double learningRate = 2e-5, IDataView? validationSet = null) =>
        Deberta(catalog, PretrainedTextTrainerOptions.FromArguments(checkpoint, labelColumnName, sentence1ColumnName, sentence2ColumnName, batchSize, maxEpochs, learningRate, validationSet));

    /// <summary>Fine-tunes a DeBERTa checkpoint for regression with every option (see <see cref="PretrainedTextTrainerOptions"/>).</summary>
    /// <param name="catalog">The trainers catalog.</param>
    /// <param name="options">Checkpoint, columns and training options.</param>
    public static PretrainedTextTrainer Deberta(this RegressionCatalog.RegressionTrainers catalog, PretrainedTextTrainerOptions options) =>
        new(MLNetInternals.GetEnvironment(catalog), PredictionKind.Regression, "deberta", "Regression.Trainers.Deberta", options);

    /// <summary>
    /// Fine-tunes a DeBERTa-v2/v3 checkpoint for regression (label: Single; outputs Score).
    /// </summary>
    /// <param name="catalog">The trainers catalog.</param>
    /// <param name="checkpoint">A local Hugging Face DeBERTa-v2/v3 checkpoint folder (config.json, weights, tokenizer files) or a Hub id 'org/name[@revision]' (downloaded into the Hugging Face cache).</param>
    /// <param name="labelColumnName">The label column. Default "Label".</param>
    /// <param name="sentence1ColumnName">The text column. Default "Sentence1".</param>
    /// <param name="sentence2ColumnName">Optional second text column for sentence pairs. Default null.</param>
    /// <param name="batchSize">Rows per training batch. Default 32.</param>
    /// <param name="maxEpochs">Passes over the training data. Default 3.</param>
    /// <param name="learningRate">AdamW peak learning rate. Default 2e-5.</param>
    /// <param name="validationSet">Optional validation data; the best epoch's weights are kept. Default null.</param>
    /// <example><code>var trainer = mlContext.Regression.Trainers.DebertaV2(checkpoint: "models/tiny", sentence1ColumnName: "Text");</code></example>
    public static PretrainedTextTrainer DebertaV2(this RegressionCatalog.RegressionTrainers catalog, string checkpoint, string labelColumnName = "Label",
        string sentence1ColumnName = "Sentence1", string? sentence2ColumnName = null, int batchSize = 32, int maxEpochs = 3,
        double learningRate = 2e-5, IDataView? validationSet = null) =>
        DebertaV2(catalog, PretrainedTextTrainerOptions.FromArguments(checkpoint, labelColumnName, sentence1ColumnName, sentence2ColumnName, batchSize, maxEpochs, learningRate, validationSet));

    /// <summary>Fine-tunes a DeBERTa-v2/v3 checkpoint for regression with every option (see <see cref="PretrainedTextTrainerOptions"/>).</summary>
    /// <param name="catalog">The trainers catalog.</param>
    /// <param name="options">Checkpoint, columns and training options.</param>
    public static PretrainedTextTrainer DebertaV2(this RegressionCatalog.RegressionTrainers catalog, PretrainedTextTrainerOptions options) =>
        new(MLNetInternals.GetEnvironment(catalog), PredictionKind.Regression, "deberta-v2", "Regression.Trainers.DebertaV2", options);
}
