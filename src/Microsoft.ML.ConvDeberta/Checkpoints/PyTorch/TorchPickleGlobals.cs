using static TorchSharp.torch;

namespace Microsoft.ML.ConvDeberta.Checkpoints.PyTorch;

/// <summary>
/// The only Python callables a checkpoint pickle may name. A pickle can call any importable function, so
/// loading an untrusted <c>pytorch_model.bin</c> with Python's unpickler can run code; here every GLOBAL outside
/// this allow-list is refused before anything is called, and the allowed ones are interpreted, never executed.
/// </summary>
internal static class TorchPickleGlobals
{
    /// <summary>torch.*Storage class name → element type of the storage.</summary>
    private static readonly Dictionary<string, ScalarType> StorageTypes = new()
    {
        ["FloatStorage"] = ScalarType.Float32,
        ["HalfStorage"] = ScalarType.Float16,
        ["BFloat16Storage"] = ScalarType.BFloat16,
        ["DoubleStorage"] = ScalarType.Float64,
        ["LongStorage"] = ScalarType.Int64,
        ["IntStorage"] = ScalarType.Int32,
        ["ShortStorage"] = ScalarType.Int16,
        ["CharStorage"] = ScalarType.Int8,
        ["ByteStorage"] = ScalarType.Byte,
        ["BoolStorage"] = ScalarType.Bool,
        ["UntypedStorage"] = ScalarType.Byte,
    };

    private static readonly HashSet<string> Functions =
    [
        "collections.OrderedDict",
        "torch._utils._rebuild_tensor_v2",
        "torch._utils._rebuild_parameter",
        "torch._utils._rebuild_parameter_with_state",
        "torch.device",
    ];

    /// <summary>Checks a GLOBAL against the allow-list; throws naming the offending callable.</summary>
    public static PickleGlobal Resolve(string module, string name, string source)
    {
        var global = new PickleGlobal(module, name);
        if (Functions.Contains(global.ToString()) || (module is "torch" or "torch.storage" && StorageTypes.ContainsKey(name)))
            return global;
        throw new InvalidDataException(
            $"'{source}' refers to the Python callable '{global}', which is not allowed in a weights file " +
            "(only OrderedDict, torch tensor/parameter rebuild functions, torch.*Storage and torch.device are). " +
            "The file may contain arbitrary code; convert it to safetensors in a trusted Python environment instead.");
    }

    /// <summary>The element type of a <c>torch.*Storage</c> global.</summary>
    public static ScalarType StorageDType(object? type, string source) =>
        type is PickleGlobal g && StorageTypes.TryGetValue(g.Name, out var dtype)
            ? dtype
            : throw new InvalidDataException($"'{source}': persistent id names storage type '{type}', expected torch.<Type>Storage.");

    /// <summary>Interprets REDUCE: <paramref name="callable"/>(*<paramref name="args"/>).</summary>
    public static object Call(object? callable, object?[] args, string source)
    {
        if (callable is not PickleGlobal global)
            throw new InvalidDataException($"'{source}': pickle REDUCE on a non-callable value ({Describe(callable)}).");
        switch (global.ToString())
        {
            case "collections.OrderedDict":
                var dict = new PickleDict();
                if (args.Length > 0 && args[0] is List<object?> pairs)
                    foreach (var pair in pairs)
                        if (pair is object?[] { Length: 2 } kv && kv[0] is { } key) dict.Set(key, kv[1]);
                return dict;
            case "torch._utils._rebuild_tensor_v2":
                // (storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])
                if (args.Length < 4 || args[0] is not StorageRef storage || args[1] is not long offset)
                    throw new InvalidDataException($"'{source}': malformed _rebuild_tensor_v2 arguments ({Describe(args)}).");
                return new TensorRef(storage, offset, Longs(args[2], "size", source), Longs(args[3], "stride", source));
            case "torch._utils._rebuild_parameter":
            case "torch._utils._rebuild_parameter_with_state":
                // (data, requires_grad, backward_hooks[, state]): a Parameter is its data for loading purposes.
                return args.Length > 0 && args[0] is TensorRef data
                    ? data
                    : throw new InvalidDataException($"'{source}': malformed _rebuild_parameter arguments ({Describe(args)}).");
            case "torch.device":
                return string.Join(":", args);
            default:
                throw new InvalidDataException($"'{source}': '{global}' cannot be called (it is a storage type).");
        }
    }

    /// <summary>Interprets BUILD (setting an object's state). OrderedDict's <c>_metadata</c> (module versions) is dropped.</summary>
    public static void Build(object? target, object? state, string source)
    {
        if (target is PickleDict or TensorRef) return;
        throw new InvalidDataException($"'{source}': pickle BUILD on unsupported object {Describe(target)} with state {Describe(state)}.");
    }

    private static long[] Longs(object? value, string what, string source) =>
        value is object?[] items && items.All(i => i is long)
            ? items.Select(i => (long)i!).ToArray()
            : throw new InvalidDataException($"'{source}': tensor {what} must be a tuple of ints, got {Describe(value)}.");

    internal static string Describe(object? value) => value switch
    {
        null => "None",
        string s => $"'{s}'",
        object?[] t => "(" + string.Join(", ", t.Take(8).Select(Describe)) + (t.Length > 8 ? ", …" : "") + ")",
        _ => value.ToString() ?? value.GetType().Name,
    };
}
