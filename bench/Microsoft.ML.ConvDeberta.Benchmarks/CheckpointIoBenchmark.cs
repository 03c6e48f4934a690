using System.Diagnostics;
using Microsoft.ML.ConvDeberta.Checkpoints;
using Microsoft.ML.ConvDeberta.Checkpoints.PyTorch;
using Microsoft.ML.ConvDeberta.Checkpoints.SafeTensors;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.ConvDeberta.Benchmarks;

/// Checkpoint I/O throughput on a ~100 MB float32 checkpoint laid out like a BERT-base-width encoder
/// (hidden 768, intermediate 3072, 3 layers, 6000-token vocabulary): write once, then time repeated loads
/// of the same tensors from model.safetensors and pytorch_model.bin. The files sit in the page cache after
/// writing, so the figures are warm-cache (memory → tensor) rates.
internal static class CheckpointIoBenchmark
{
    public static int Run(string[] args)
    {
        int layers = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 3;
        int repeats = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 5;

        var folder = Directory.CreateTempSubdirectory("convdeberta-bench-").FullName;
        try
        {
            torch.manual_seed(0);
            var tensors = SyntheticCheckpoint.Create(vocab: 6000, hidden: 768, intermediate: 3072, layers: layers);
            double megabytes = tensors.Values.Sum(t => t.numel() * t.element_size()) / 1e6;
            Console.WriteLine($"checkpoint: {tensors.Count} tensors, {megabytes:F1} MB float32; {Environment.ProcessorCount} logical CPU(s); {System.Runtime.InteropServices.RuntimeInformation.OSDescription}");

            var safetensors = Path.Combine(folder, "model.safetensors");
            var bin = Path.Combine(folder, "pytorch_model.bin");
            Report("write safetensors", megabytes, 1, () => SafeTensorsWriter.Save(safetensors, tensors));
            Report("write pytorch_model.bin", megabytes, 1, () => PyTorchCheckpointWriter.Save(bin, tensors));

            // Warm both readers before timing either: the first loads pay for JIT and for glibc raising its mmap
            // threshold (fresh, page-faulting allocations), which otherwise penalises whichever reader runs first.
            for (int i = 0; i < 2; i++)
            {
                Dispose(PyTorchCheckpointReader.Load(bin));
                Dispose(SafeTensorsReader.Load(safetensors));
            }
            Report("load pytorch_model.bin", megabytes, repeats, () => Dispose(PyTorchCheckpointReader.Load(bin)));
            Report("load safetensors", megabytes, repeats, () => Dispose(SafeTensorsReader.Load(safetensors)));

            // A real snapshot folder, if the shared reference data is beside the repository (128k-vocabulary DeBERTa-v3).
            var snapshot = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../../shared/reference/checkpoints/tiny-deberta-v3"));
            if (Directory.Exists(snapshot))
            {
                var file = CheckpointFiles.FindWeights(snapshot);
                double snapshotMegabytes = new FileInfo(file).Length / 1e6;
                Report($"load {Path.GetFileName(snapshot)} folder", snapshotMegabytes, repeats, () => Dispose(CheckpointFiles.LoadStateDict(snapshot)));
            }

            // Sanity: both readers return exactly the generated tensors.
            var a = SafeTensorsReader.Load(safetensors);
            var b = PyTorchCheckpointReader.Load(bin);
            bool same = tensors.All(kv => kv.Value.allclose(a[kv.Key], 0, 0) && kv.Value.allclose(b[kv.Key], 0, 0));
            Dispose(a);
            Dispose(b);
            Console.WriteLine($"round trip identical: {same}");
            if (!same) return 1;
            return 0;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    internal static void Report(string what, double megabytes, int repeats, Action action)
    {
        var seconds = new List<double>();
        if (repeats > 1) action(); // warm-up: JIT and allocator, not timed
        for (int i = 0; i < repeats; i++)
        {
            var watch = Stopwatch.StartNew();
            action();
            seconds.Add(watch.Elapsed.TotalSeconds);
        }
        seconds.Sort();
        double best = seconds[0], median = seconds[seconds.Count / 2];
        Console.WriteLine($"{what,-28} best {best * 1000,8:F1} ms ({megabytes / best,7:F0} MB/s)   median {median * 1000,8:F1} ms ({megabytes / median,7:F0} MB/s)   n={repeats}");
    }

    internal static void Dispose(Dictionary<string, Tensor> tensors)
    {
        foreach (var t in tensors.Values) t.Dispose();
    }
}
