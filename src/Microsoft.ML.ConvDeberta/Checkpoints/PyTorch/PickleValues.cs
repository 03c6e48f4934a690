namespace Microsoft.ML.ConvDeberta.Checkpoints.PyTorch;

// The values the restricted unpickler produces. Python objects map to plain .NET values:
// None → null, bool → bool, int → long, float → double, str → string, bytes → byte[],
// tuple → object?[], list → List<object?>, dict/OrderedDict → PickleDict.

/// <summary>A dict or OrderedDict, keeping insertion order (a state dict's order is the module's order).</summary>
internal sealed class PickleDict
{
    private readonly List<KeyValuePair<object, object?>> _items = [];
    private readonly Dictionary<object, int> _index = [];

    public IReadOnlyList<KeyValuePair<object, object?>> Items => _items;

    public void Set(object key, object? value)
    {
        if (_index.TryGetValue(key, out int i)) _items[i] = new(key, value);
        else
        {
            _index[key] = _items.Count;
            _items.Add(new(key, value));
        }
    }
}

/// <summary>A <c>module.name</c> reference produced by GLOBAL, already checked against the allow-list.</summary>
internal sealed record PickleGlobal(string Module, string Name)
{
    public override string ToString() => $"{Module}.{Name}";
}

/// <summary>A storage named by a persistent id: the zip record <c>data/&lt;Key&gt;</c> holding <c>Count</c> elements.</summary>
internal sealed record StorageRef(string Key, TorchSharp.torch.ScalarType DType, long Count);

/// <summary>What <c>torch._utils._rebuild_tensor_v2</c> describes: a strided view of a storage.</summary>
internal sealed record TensorRef(StorageRef Storage, long Offset, long[] Size, long[] Stride);
