using System.Reflection;
using System.Reflection.Emit;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.ConvDeberta.MLNet.Interop;

/// <summary>
/// Makes saved models loadable by <c>mlContext.Model.Load</c>. ML.NET finds loaders through its internal
/// <c>LoadableClassAttribute</c> and calls a static <c>Create(IHostEnvironment, ModelLoadContext)</c> whose parameter type
/// is internal, so neither can be written in C#. This class emits a tiny assembly that carries the attribute and that
/// method (forwarding to <see cref="PretrainedTextTransformer.LoadFrom"/>), marked
/// <c>IgnoresAccessChecksTo("Microsoft.ML.Core")</c> so the runtime lets it use the internal types. Saved models name
/// this assembly as their loader assembly; an <see cref="AppDomain.AssemblyResolve"/> hook hands it to ML.NET's
/// <c>Assembly.Load</c>, after which ML.NET registers it in the loading MLContext's catalog by itself.
/// </summary>
internal static class LoaderAssembly
{
    /// <summary>Name of the generated assembly (stored in every saved model's header).</summary>
    public const string Name = "Microsoft.ML.ConvDeberta.ModelLoaders";

    private static readonly Lazy<Assembly> Generated = new(Build);
    private static int hookInstalled;

    /// <summary>Full name to write into model headers.</summary>
    public static string FullName => Generated.Value.FullName!;

    /// <summary>Builds the assembly and installs the resolve hook (idempotent, thread-safe).</summary>
    public static void EnsureInstalled()
    {
        _ = Generated.Value;
        if (Interlocked.Exchange(ref hookInstalled, 1) == 0)
            AppDomain.CurrentDomain.AssemblyResolve += (_, args) =>
                new AssemblyName(args.Name).Name == Name ? Generated.Value : null;
    }

    private static Assembly Build()
    {
        var core = typeof(IHostEnvironment).Assembly;
        var loadContextType = MLNetInternals.Require(core.GetType("Microsoft.ML.ModelLoadContext"), "type Microsoft.ML.ModelLoadContext");
        var signatureType = MLNetInternals.Require(core.GetType("Microsoft.ML.SignatureLoadModel"), "type Microsoft.ML.SignatureLoadModel");
        var attributeType = MLNetInternals.Require(core.GetType("Microsoft.ML.LoadableClassAttribute"), "type Microsoft.ML.LoadableClassAttribute");
        var attributeConstructor = attributeType.GetConstructor(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic, null,
            [typeof(Type), typeof(Type), typeof(Type), typeof(Type), typeof(string), typeof(string[])], null)
            ?? throw MLNetInternals.Missing("constructor LoadableClassAttribute(Type, Type, Type, Type, string, string[])");
        var bridge = typeof(PretrainedTextTransformer).GetMethod(nameof(PretrainedTextTransformer.LoadFrom), BindingFlags.Static | BindingFlags.NonPublic)!;

        var assembly = AssemblyBuilder.DefineDynamicAssembly(new AssemblyName(Name), AssemblyBuilderAccess.Run);
        var module = assembly.DefineDynamicModule(Name);

        // [IgnoresAccessChecksTo("...")]: recognised by the runtime by name; it must be defined by the assembly itself.
        var ignores = module.DefineType("System.Runtime.CompilerServices.IgnoresAccessChecksToAttribute",
            TypeAttributes.Public | TypeAttributes.Sealed | TypeAttributes.Class, typeof(Attribute));
        var ignoresConstructor = ignores.DefineConstructor(MethodAttributes.Public, CallingConventions.Standard, [typeof(string)]);
        var il = ignoresConstructor.GetILGenerator();
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Call, typeof(Attribute).GetConstructor(BindingFlags.Instance | BindingFlags.NonPublic, Type.EmptyTypes)!);
        il.Emit(OpCodes.Ret);
        var ignoresType = ignores.CreateType();
        foreach (var target in new[] { core.GetName().Name!, typeof(LoaderAssembly).Assembly.GetName().Name! })
            assembly.SetCustomAttribute(new CustomAttributeBuilder(ignoresType.GetConstructor([typeof(string)])!, [target]));

        // public static PretrainedTextTransformer Create(IHostEnvironment env, ModelLoadContext ctx) => LoadFrom(env, ctx);
        var loader = module.DefineType(Name + ".PretrainedTextLoader", TypeAttributes.Public | TypeAttributes.Sealed | TypeAttributes.Abstract | TypeAttributes.Class);
        var create = loader.DefineMethod("Create", MethodAttributes.Public | MethodAttributes.Static,
            typeof(PretrainedTextTransformer), [typeof(IHostEnvironment), loadContextType]);
        il = create.GetILGenerator();
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Ldarg_1);
        il.Emit(OpCodes.Call, bridge);
        il.Emit(OpCodes.Ret);
        var loaderType = loader.CreateType();

        assembly.SetCustomAttribute(new CustomAttributeBuilder(attributeConstructor,
            [typeof(PretrainedTextTransformer), loaderType, null, signatureType, "Pretrained text transformer", new[] { PretrainedTextTransformer.LoaderSignature }]));
        return assembly;
    }
}
