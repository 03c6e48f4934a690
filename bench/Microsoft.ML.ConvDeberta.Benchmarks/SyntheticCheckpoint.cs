using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.ConvDeberta.Benchmarks;

/// <summary>Random float32 tensors named and shaped like a DeBERTa-v2 encoder state dict.</summary>
internal static class SyntheticCheckpoint
{
    public static Dictionary<string, Tensor> Create(int vocab, int hidden, int intermediate, int layers)
    {
        var result = new Dictionary<string, Tensor>
        {
            ["deberta.embeddings.word_embeddings.weight"] = torch.randn(vocab, hidden),
            ["deberta.embeddings.LayerNorm.weight"] = torch.ones(hidden),
            ["deberta.embeddings.LayerNorm.bias"] = torch.zeros(hidden),
            ["deberta.encoder.rel_embeddings.weight"] = torch.randn(512, hidden),
            ["deberta.encoder.LayerNorm.weight"] = torch.ones(hidden),
            ["deberta.encoder.LayerNorm.bias"] = torch.zeros(hidden),
        };
        for (int i = 0; i < layers; i++)
        {
            var p = $"deberta.encoder.layer.{i}.";
            foreach (var proj in new[] { "query_proj", "key_proj", "value_proj" })
            {
                result[p + $"attention.self.{proj}.weight"] = torch.randn(hidden, hidden);
                result[p + $"attention.self.{proj}.bias"] = torch.randn(hidden);
            }
            result[p + "attention.output.dense.weight"] = torch.randn(hidden, hidden);
            result[p + "attention.output.dense.bias"] = torch.randn(hidden);
            result[p + "attention.output.LayerNorm.weight"] = torch.ones(hidden);
            result[p + "attention.output.LayerNorm.bias"] = torch.zeros(hidden);
            result[p + "intermediate.dense.weight"] = torch.randn(intermediate, hidden);
            result[p + "intermediate.dense.bias"] = torch.randn(intermediate);
            result[p + "output.dense.weight"] = torch.randn(hidden, intermediate);
            result[p + "output.dense.bias"] = torch.randn(hidden);
            result[p + "output.LayerNorm.weight"] = torch.ones(hidden);
            result[p + "output.LayerNorm.bias"] = torch.zeros(hidden);
        }
        return result;
    }
}
