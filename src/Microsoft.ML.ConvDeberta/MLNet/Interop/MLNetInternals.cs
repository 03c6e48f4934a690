using System.Reflection;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.ConvDeberta.MLNet.Interop;

/// <summary>
/// The ONE place that reaches into ML.NET internals (with <c>ModelContexts</c> and <see cref="LoaderAssembly"/>):
/// the environment behind a trainers catalog, its seed and cancellation flag, and <see cref="SchemaShape.Column"/>'s
/// internal constructor. Every member is looked up once and checked; a missing one fails with a message naming the
/// ML.NET version this library was built against.
/// </summary>
internal static class MLNetInternals
{
    internal const string SupportedVersion = "ML.NET 5.0.x (Microsoft.ML 5.0.1)";

    private static readonly Assembly CoreAssembly = typeof(IHostEnvironment).Assembly;
    private static readonly Assembly DataAssembly = typeof(MLContext).Assembly;

    private static readonly Lazy<PropertyInfo> CatalogEnvironment = new(() =>
        Require(DataAssembly.GetType("Microsoft.ML.Data.IInternalCatalog"), "type Microsoft.ML.Data.IInternalCatalog")
            .GetProperty("Environment") ?? throw Missing("property IInternalCatalog.Environment"));

    private static readonly Lazy<PropertyInfo> CancelableIsCanceled = new(() =>
        Require(CoreAssembly.GetType("Microsoft.ML.Runtime.ICancelable"), "type Microsoft.ML.Runtime.ICancelable")
            .GetProperty("IsCanceled") ?? throw Missing("property ICancelable.IsCanceled"));

    private static readonly Lazy<ConstructorInfo> ColumnConstructor = new(() =>
        typeof(SchemaShape.Column).GetConstructor(BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public, null,
            [typeof(string), typeof(SchemaShape.Column.VectorKind), typeof(DataViewType), typeof(bool), typeof(SchemaShape)], null)
        ?? throw Missing("constructor SchemaShape.Column(string, VectorKind, DataViewType, bool, SchemaShape)"));

    /// <summary>The MLContext's own environment behind <c>mlContext.XxxClassification.Trainers</c> (seed, log, cancellation).</summary>
    public static IHostEnvironment GetEnvironment(object catalogTrainers)
    {
        ArgumentNullException.ThrowIfNull(catalogTrainers);
        return CatalogEnvironment.Value.GetValue(catalogTrainers) as IHostEnvironment
            ?? throw Missing($"IInternalCatalog.Environment on {catalogTrainers.GetType().Name}");
    }

    /// <summary>The seed the MLContext was created with (null when it was created without one).</summary>
    public static int? GetSeed(IHostEnvironment environment)
    {
        var property = environment.GetType().GetProperty("Seed", BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic);
        return property?.GetValue(environment) as int?;
    }

    /// <summary>Whether <c>mlContext.CancelExecution()</c> has been called.</summary>
    public static bool IsCanceled(IHostEnvironment environment) =>
        CancelableIsCanceled.Value.DeclaringType!.IsInstanceOfType(environment) && (bool)CancelableIsCanceled.Value.GetValue(environment)!;

    /// <summary>Builds a <see cref="SchemaShape.Column"/> (its constructor is internal).</summary>
    public static SchemaShape.Column Column(string name, SchemaShape.Column.VectorKind kind, DataViewType itemType, bool isKey, SchemaShape? annotations = null) =>
        (SchemaShape.Column)ColumnConstructor.Value.Invoke([name, kind, itemType, isKey, annotations ?? new SchemaShape([])]);

    /// <summary>ML.NET's internal <c>SchemaShape.Create(DataViewSchema)</c> (the shape estimators propagate).</summary>
    public static SchemaShape Shape(DataViewSchema schema) =>
        (SchemaShape)(typeof(SchemaShape).GetMethod("Create", BindingFlags.Static | BindingFlags.NonPublic | BindingFlags.Public, null, [typeof(DataViewSchema)], null)
            ?? throw Missing("method SchemaShape.Create(DataViewSchema)")).Invoke(null, [schema])!;

    /// <summary>What <c>mlContext.CancelExecution()</c> (Microsoft.ML.Experimental) does: sets the environment's cancel flag.</summary>
    public static void CancelExecution(MLContext context)
    {
        var environment = typeof(MLContext).GetField("_env", BindingFlags.Instance | BindingFlags.NonPublic)?.GetValue(context)
            ?? throw Missing("field MLContext._env");
        (CancelableIsCanceled.Value.DeclaringType!.GetMethod("CancelExecution") ?? throw Missing("method ICancelable.CancelExecution")).Invoke(environment, null);
    }

    internal static T Require<T>(T? value, string what) where T : class => value ?? throw Missing(what);

    internal static InvalidOperationException Missing(string what) => new(
        $"Microsoft.ML.ConvDeberta relies on an internal member of ML.NET that this ML.NET version does not have: {what}. " +
        $"This library supports {SupportedVersion}; reference Microsoft.ML 5.0.x in the application.");
}
