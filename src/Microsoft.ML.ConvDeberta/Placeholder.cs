namespace Microsoft.ML.ConvDeberta; internal static class Placeholder {}
