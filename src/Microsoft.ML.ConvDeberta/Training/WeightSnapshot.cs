using Microsoft.ML.ConvDeberta.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.ConvDeberta.Training;

/// <summary>A detached copy of a model's weights (early stopping's "best so far"), restorable in place.</summary>
internal sealed class WeightSnapshot : IDisposable
{
    private readonly Dictionary<string, Tensor> tensors = [];

    public WeightSnapshot(TaskModel model)
    {
        using (torch.no_grad())
            foreach (var (name, tensor) in model.state_dict())
                tensors[name] = tensor.detach().clone();
    }

    public void RestoreInto(TaskModel model)
    {
        using (torch.no_grad())
            foreach (var (name, tensor) in model.state_dict())
                if (tensors.TryGetValue(name, out var saved)) tensor.copy_(saved);
    }

    public void Dispose()
    {
        foreach (var tensor in tensors.Values) tensor.Dispose();
        tensors.Clear();
    }
}
