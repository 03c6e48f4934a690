using System.IO.Compression;
using Microsoft.ML.ConvDeberta.Tests.Infrastructure;

namespace Microsoft.ML.ConvDeberta.Tests.Packaging;

/// <summary>
/// Packs the library, installs the package from a local folder feed into a fresh console app outside the
/// repository (so nothing of the repo's build applies), builds and runs it: proves the package's contents, its
/// dependencies, and that its buildTransitive targets make TorchSharp load on this machine.
/// </summary>
[TestClass]
public class PackageInstallTests
{
    [TestMethod, TestCategory("Packaging"), Timeout(900_000)]
    public void PackedPackageInstallsIntoAFreshAppAndRuns()
    {
        var checkpoint = SharedData.Reference("checkpoints", "tiny-deberta-v3");
        var work = Directory.CreateTempSubdirectory("convdeberta-pack-");
        try
        {
            // A unique version: the global packages folder never serves a stale copy of an earlier run.
            var version = $"0.1.0-test.{DateTime.UtcNow:yyyyMMddHHmmss}";
            var feed = Directory.CreateDirectory(Path.Combine(work.FullName, "feed")).FullName;
            var project = Path.Combine(SharedData.RepoRoot, "src", "Microsoft.ML.ConvDeberta", "Microsoft.ML.ConvDeberta.csproj");
            ProcessRunner.Run("dotnet", $"pack \"{project}\" -c Release -p:Version={version} -o \"{feed}\"", SharedData.RepoRoot, TimeSpan.FromMinutes(5))
                .AssertSuccess("dotnet pack");

            var nupkg = Path.Combine(feed, $"Microsoft.ML.ConvDeberta.{version}.nupkg");
            Assert.IsTrue(File.Exists(nupkg), $"dotnet pack did not produce {nupkg}");
            AssertPackageContents(nupkg);

            var app = Directory.CreateDirectory(Path.Combine(work.FullName, "app")).FullName;
            File.WriteAllText(Path.Combine(app, "nuget.config"), $"""
                <?xml version="1.0" encoding="utf-8"?>
                <configuration><packageSources><add key="local" value="{feed}" /></packageSources></configuration>
                """);
            File.WriteAllText(Path.Combine(app, "App.csproj"), $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup><OutputType>Exe</OutputType><TargetFramework>net10.0</TargetFramework><Nullable>enable</Nullable><ImplicitUsings>enable</ImplicitUsings><NoWarn>NU1603</NoWarn></PropertyGroup>
                  <ItemGroup>
                    <PackageReference Include="Microsoft.ML.ConvDeberta" Version="{version}" />
                    <PackageReference Include="libtorch-cpu-linux-x64" Version="2.10.0" />
                  </ItemGroup>
                </Project>
                """);
            File.WriteAllText(Path.Combine(app, "Program.cs"), AppSource);
            var run = ProcessRunner.Run("dotnet", $"run -c Release -- \"{checkpoint}\"", app, TimeSpan.FromMinutes(8));
            run.AssertSuccess("the fresh app (dotnet run)");
            StringAssert.Contains(run.Output, "APP-OK", "the app did not reach its end");
        }
        finally
        {
            try { work.Delete(recursive: true); } catch (IOException) { }
        }
    }

    private static void AssertPackageContents(string nupkg)
    {
        using var zip = ZipFile.OpenRead(nupkg);
        var names = zip.Entries.Select(e => e.FullName).ToList();
        CollectionAssert.Contains(names, "README.md");
        CollectionAssert.Contains(names, "lib/net10.0/Microsoft.ML.ConvDeberta.dll");
        CollectionAssert.Contains(names, "lib/net10.0/Microsoft.ML.ConvDeberta.xml");
        CollectionAssert.Contains(names, "buildTransitive/Microsoft.ML.ConvDeberta.targets");
        using var nuspec = new StreamReader(zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open());
        var text = nuspec.ReadToEnd();
        StringAssert.Contains(text, "id=\"TorchSharp\"");
        Assert.IsFalse(text.Contains("libtorch", StringComparison.OrdinalIgnoreCase), "the package must not force a native libtorch backend on users");
    }

    private const string AppSource = PackageSmokeApp.Source;
}
