using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.ConvDeberta.Models.ConvBert;

/// <summary>
/// Hugging Face <c>GroupedLinearLayer</c>: the input features are split into num_groups equal groups and each group
/// has its own dense map, which divides the feed-forward parameters by num_groups. Keys: <c>weight</c>
/// [groups, in/groups, out/groups] (note: in × out, not PyTorch Linear's out × in) and <c>bias</c> [out].
/// </summary>
internal sealed class GroupedLinearLayer : nn.Module<Tensor, Tensor>
{
    public readonly Parameter weight;
    public readonly Parameter bias;
    private readonly long numGroups, groupInDim, outputSize;

    public GroupedLinearLayer(long inputSize, long outputSize, long numGroups) : base(nameof(GroupedLinearLayer))
    {
        this.numGroups = numGroups;
        this.outputSize = outputSize;
        groupInDim = inputSize / numGroups;
        weight = nn.Parameter(torch.empty(numGroups, groupInDim, outputSize / numGroups));
        bias = nn.Parameter(torch.empty(outputSize));
        RegisterComponents();
    }

    /// <param name="hiddenStates">[B, L, in]</param>
    /// <returns>[B, L, out]</returns>
    public override Tensor forward(Tensor hiddenStates)
    {
        using var scope = NewDisposeScope();
        long batch = hiddenStates.size(0);
        var x = hiddenStates.reshape(-1, numGroups, groupInDim);   // [B·L, G, in/G]
        x = x.permute(1, 0, 2);                                    // [G, B·L, in/G]
        x = torch.matmul(x, weight);                               // [G, B·L, out/G]
        x = x.permute(1, 0, 2);                                    // [B·L, G, out/G]
        x = x.reshape(batch, -1, outputSize);                      // [B, L, out]
        return (x + bias).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Weight ~ N(0, std), bias 0. (Hugging Face v4.47 leaves both uninitialised — torch.empty — when a checkpoint
    /// lacks them; this is the Linear rule of its <c>_init_weights</c>.)
    /// </summary>
    public void Initialize(double std, Func<string, bool> wanted)
    {
        using var noGrad = torch.no_grad();
        if (wanted("weight")) nn.init.normal_(weight, 0, std);
        if (wanted("bias")) nn.init.zeros_(bias);
    }
}
