using Microsoft.ML.ConvDeberta.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.ConvDeberta.Training;

/// <summary>AdamW with Hugging Face's parameter groups and the linear warmup/decay schedule.</summary>
internal static class Optimization
{
    /// <summary>
    /// AdamW (betas 0.9/0.999, eps 1e-8) with weight decay on every weight except biases and LayerNorm weights,
    /// as the Hugging Face Trainer does.
    /// </summary>
    public static optim.Optimizer CreateAdamW(TaskModel model, double learningRate, double weightDecay)
    {
        var decay = new List<Parameter>();
        var noDecay = new List<Parameter>();
        foreach (var (name, parameter) in model.named_parameters())
        {
            if (!parameter.requires_grad) continue;
            (IsExemptFromDecay(name) ? noDecay : decay).Add(parameter);
        }
        var groups = new List<AdamW.ParamGroup>
        {
            new(decay, learningRate, 0.9, 0.999, 1e-8, weightDecay, false, false),
            new(noDecay, learningRate, 0.9, 0.999, 1e-8, 0.0, false, false),
        };
        return optim.AdamW(groups, learningRate);
    }

    /// <summary>Biases and LayerNorm weights (HF names: <c>*.bias</c>, <c>*LayerNorm.weight</c>, <c>*layer_norm.weight</c>).</summary>
    public static bool IsExemptFromDecay(string name) =>
        name.EndsWith(".bias", StringComparison.Ordinal) || name == "bias"
        || name.Contains("LayerNorm", StringComparison.Ordinal) || name.Contains("layer_norm", StringComparison.OrdinalIgnoreCase);

    /// <summary>Linear warmup from 0 over <paramref name="warmupSteps"/>, then linear decay to 0 at <paramref name="totalSteps"/>.</summary>
    public static double LinearSchedule(double baseRate, long step, long warmupSteps, long totalSteps)
    {
        if (step < warmupSteps) return baseRate * (step + 1) / Math.Max(1, warmupSteps);
        return baseRate * Math.Max(0.0, (double)(totalSteps - step) / Math.Max(1, totalSteps - warmupSteps));
    }

    public static void SetLearningRate(optim.Optimizer optimizer, double rate)
    {
        foreach (var group in optimizer.ParamGroups) group.LearningRate = rate;
    }
}
