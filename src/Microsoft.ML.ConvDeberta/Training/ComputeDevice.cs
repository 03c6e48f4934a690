using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.ConvDeberta.Training;

/// <summary>Where training and scoring run.</summary>
public enum ComputeDevice
{
    /// <summary>CUDA when <c>torch.cuda.is_available()</c> (the application references a CUDA libtorch), otherwise CPU.</summary>
    Auto,
    /// <summary>Always the CPU.</summary>
    Cpu,
    /// <summary>The first CUDA GPU; fails when CUDA is not available.</summary>
    Cuda,
}

/// <summary>Numeric precision of the weights and activations during training and scoring.</summary>
public enum TrainingPrecision
{
    /// <summary>float32 everywhere (default; bit-reproducible on CPU).</summary>
    Float32,
    /// <summary>bfloat16 weights and activations: faster on CPUs with AVX512_BF16 and on recent GPUs, less precise.</summary>
    BFloat16,
}

/// <summary>Maps the public device/precision choices to TorchSharp.</summary>
internal static class DeviceSelection
{
    public static Device Resolve(ComputeDevice device) => device switch
    {
        ComputeDevice.Cpu => CPU,
        ComputeDevice.Cuda when torch.cuda.is_available() => CUDA,
        ComputeDevice.Cuda => throw new InvalidOperationException(
            "Device = Cuda was requested but torch.cuda.is_available() is false. Reference the TorchSharp-cuda-linux (or -windows) " +
            "package instead of libtorch-cpu in the application, or use ComputeDevice.Auto/Cpu."),
        _ => torch.cuda.is_available() ? CUDA : CPU,
    };

    public static ScalarType ToScalarType(TrainingPrecision precision) =>
        precision == TrainingPrecision.BFloat16 ? ScalarType.BFloat16 : ScalarType.Float32;
}
