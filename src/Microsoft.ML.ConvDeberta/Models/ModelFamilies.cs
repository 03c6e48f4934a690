namespace Microsoft.ML.ConvDeberta.Models;

/// <summary>The registry of supported families, looked up by <c>model_type</c> or Hugging Face class name.</summary>
internal static class ModelFamilies
{
    private static readonly List<IModelFamily> Families = [];

    static ModelFamilies()
    {
        foreach (var type in typeof(ModelFamilies).Assembly.GetTypes())
            if (!type.IsAbstract && !type.IsInterface && typeof(IModelFamily).IsAssignableFrom(type))
                Families.Add((IModelFamily)Activator.CreateInstance(type)!);
        Families.Sort((a, b) => string.CompareOrdinal(a.ModelType, b.ModelType));
    }

    /// <summary>Every registered family.</summary>
    public static IReadOnlyList<IModelFamily> All => Families;

    /// <summary>The family for a <c>model_type</c>; throws naming the supported types.</summary>
    public static IModelFamily ForModelType(string modelType) =>
        Families.FirstOrDefault(f => f.ModelType == modelType)
        ?? throw new InvalidDataException(
            $"Unknown model_type '{modelType}' in config.json. Supported: {string.Join(", ", Families.Select(f => f.ModelType))}.");

    /// <summary>Finds the family and head for a Hugging Face class name such as "ConvBertForQuestionAnswering".</summary>
    public static (IModelFamily Family, TaskHead Head) ForClassName(string className)
    {
        foreach (var family in Families)
            if (family.HeadsByClassName.TryGetValue(className, out var head))
                return (family, head);
        throw new InvalidDataException($"Unknown model class '{className}'.");
    }
}
