namespace Microsoft.ML.ConvDeberta.MLNet.Scoring;

/// <summary>One row's outputs, derived from its logits the way ML.NET's predictors define them.</summary>
internal readonly struct Prediction
{
    /// <summary>Binary: log-odds logit₁ − logit₀. Regression: the value.</summary>
    public float Score { get; init; }
    /// <summary>Binary: P(true) = sigmoid(Score).</summary>
    public float Probability { get; init; }
    /// <summary>Binary: Score &gt; 0.</summary>
    public bool PredictedBool { get; init; }
    /// <summary>Multiclass: class probabilities (softmax).</summary>
    public float[]? Scores { get; init; }
    /// <summary>Multiclass: 1-based key of the most probable class.</summary>
    public uint PredictedKey { get; init; }

    public static Prediction From(float[] logits, PredictionKind kind)
    {
        switch (kind)
        {
            case PredictionKind.Binary:
            {
                float score = logits[1] - logits[0];
                return new Prediction { Score = score, Probability = (float)(1.0 / (1.0 + Math.Exp(-(double)score))), PredictedBool = score > 0 };
            }
            case PredictionKind.Multiclass:
            {
                double max = logits.Max();
                var exp = logits.Select(l => Math.Exp(l - max)).ToArray();
                double sum = exp.Sum();
                var probabilities = exp.Select(e => (float)(e / sum)).ToArray();
                int best = 0;
                for (int i = 1; i < logits.Length; i++) if (logits[i] > logits[best]) best = i;
                return new Prediction { Scores = probabilities, PredictedKey = (uint)(best + 1) };
            }
            default:
                return new Prediction { Score = logits[0] };
        }
    }
}
