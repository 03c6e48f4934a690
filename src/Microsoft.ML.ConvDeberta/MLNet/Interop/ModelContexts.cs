using System.Reflection;

namespace Microsoft.ML.ConvDeberta.MLNet.Interop;

/// <summary>
/// Access to the internal members of <see cref="ModelSaveContext"/> and ModelLoadContext (both are internal API in
/// ML.NET 5.0): the version header, the model's binary writer/reader and named binary streams inside the model zip.
/// </summary>
internal sealed class SaveContext(ModelSaveContext context)
{
    private static readonly Type ContextType = typeof(ModelSaveContext);
    private static readonly Lazy<Type> VersionInfoType = new(() =>
        MLNetInternals.Require(ContextType.Assembly.GetType("Microsoft.ML.VersionInfo"), "type Microsoft.ML.VersionInfo"));

    /// <summary>The binary writer of the current model entry.</summary>
    public BinaryWriter Writer => (BinaryWriter)Field(ContextType, "Writer").GetValue(context)!;

    /// <summary>Checks the context is positioned at a model and writes the version header.</summary>
    public void WriteHeader(string modelSignature, uint version, string loaderSignature, string loaderAssemblyName)
    {
        Method(ContextType, "CheckAtModel", Type.EmptyTypes).Invoke(context, null);
        var versionInfo = Activator.CreateInstance(VersionInfoType.Value, BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic, null,
            [modelSignature, version, version, version, loaderAssemblyName, loaderSignature, null], null);
        Method(ContextType, "SetVersionInfo", [VersionInfoType.Value]).Invoke(context, [versionInfo]);
    }

    /// <summary>Stores a named binary entry beside the model (e.g. the weights).</summary>
    public void SaveBinaryStream(string name, Action<BinaryWriter> write) =>
        Method(ContextType, "SaveBinaryStream", [typeof(string), typeof(Action<BinaryWriter>)]).Invoke(context, [name, write]);

    internal static FieldInfo Field(Type type, string name) =>
        type.GetField(name, BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)
        ?? throw MLNetInternals.Missing($"field {type.Name}.{name}");

    internal static MethodInfo Method(Type type, string name, Type[] parameters) =>
        type.GetMethod(name, BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic, null, parameters, null)
        ?? throw MLNetInternals.Missing($"method {type.Name}.{name}({string.Join(", ", parameters.Select(p => p.Name))})");
}

/// <summary>Access to ML.NET's internal ModelLoadContext, received as an object from the generated loader.</summary>
internal sealed class LoadContext
{
    private readonly object context;
    private readonly Type type;

    public LoadContext(object context)
    {
        this.context = context;
        type = context.GetType();
        if (type.FullName != "Microsoft.ML.ModelLoadContext")
            throw MLNetInternals.Missing($"Microsoft.ML.ModelLoadContext (got {type.FullName})");
    }

    /// <summary>The binary reader of the current model entry, positioned after the header.</summary>
    public BinaryReader Reader => (BinaryReader)SaveContext.Field(type, "Reader").GetValue(context)!;

    /// <summary>The model signature stored in the header (checked against what this library writes).</summary>
    public void CheckHeader(string modelSignature, uint version, string loaderSignature, string loaderAssemblyName)
    {
        var versionInfoType = type.Assembly.GetType("Microsoft.ML.VersionInfo")!;
        var versionInfo = Activator.CreateInstance(versionInfoType, BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic, null,
            [modelSignature, version, version, version, loaderAssemblyName, loaderSignature, null], null);
        SaveContext.Method(type, "CheckAtModel", [versionInfoType]).Invoke(context, [versionInfo]);
    }

    /// <summary>Reads a named binary entry stored with <see cref="SaveContext.SaveBinaryStream"/>; false when absent.</summary>
    public bool TryLoadBinaryStream(string name, Action<BinaryReader> read) =>
        (bool)SaveContext.Method(type, "TryLoadBinaryStream", [typeof(string), typeof(Action<BinaryReader>)]).Invoke(context, [name, read])!;
}
