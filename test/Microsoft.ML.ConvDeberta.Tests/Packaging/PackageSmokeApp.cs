namespace Microsoft.ML.ConvDeberta.Tests.Packaging;

/// <summary>The program the package test builds against the packed package: public API only.</summary>
internal static class PackageSmokeApp
{
    public const string Source = """
        using Microsoft.ML.ConvDeberta.Models;
        using TorchSharp;

        var config = ModelConfigs.Load(args[0]);
        Console.WriteLine($"model_type={config.ModelType} hidden={config.HiddenSize}");
        using var x = torch.ones(2, 2);
        Console.WriteLine($"torch sum={x.sum().item<float>()}");
        Console.WriteLine("APP-OK");
        """;
}
