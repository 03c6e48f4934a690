using System.ComponentModel;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;

namespace Microsoft.ML.ConvDeberta.MLNet.Interop;

/// <summary>
/// Lets <c>new MLContext().Model.Load(path)</c> load our models in a fresh process with no registration call.
/// Every saved transformer is written as a two-element chain: a zero-column <c>CustomMapping</c> whose factory is
/// <see cref="LoaderBootstrapFactory"/>, then the transformer itself. On load ML.NET loads this assembly for the
/// custom mapping and constructs the factory, whose constructor installs <see cref="LoaderAssembly"/>'s resolve hook
/// before the transformer's own entry is read.
/// </summary>
internal static class LoaderBootstrap
{
    public const string ContractName = "Microsoft.ML.ConvDeberta.LoaderBootstrap";

    /// <summary>A fitted zero-column custom mapping that carries the bootstrap contract.</summary>
    public static ITransformer CreateTransformer()
    {
        var context = new MLContext();
        context.ComponentCatalog.RegisterAssembly(typeof(LoaderBootstrapFactory).Assembly);
        var empty = context.Data.LoadFromEnumerable(Array.Empty<LoaderBootstrapFactory.NoColumns>());
        return context.Transforms.CustomMapping(new LoaderBootstrapFactory().GetMapping(), ContractName).Fit(empty);
    }
}

/// <summary>Infrastructure: restores the model loader when ML.NET loads a saved model. Not meant to be used directly.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
[CustomMappingFactoryAttribute(LoaderBootstrap.ContractName)]
public sealed class LoaderBootstrapFactory : CustomMappingFactory<LoaderBootstrapFactory.NoColumns, LoaderBootstrapFactory.NoColumns>
{
    /// <summary>Installs the loader for this library's saved transformers.</summary>
    public LoaderBootstrapFactory() => LoaderAssembly.EnsureInstalled();

    /// <summary>The identity mapping over no columns.</summary>
    public override Action<NoColumns, NoColumns> GetMapping() => static (_, _) => { };

    /// <summary>A row type with no columns.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public sealed class NoColumns { }
}
