using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.ConvDeberta.Models.DebertaV2;

/// <summary>
/// DeBERTa-v2's relative positions δ(i, j) = i − j, optionally log-bucketed: distances below
/// position_buckets / 2 stay exact, longer ones share logarithmically wider buckets up to max_relative_positions.
/// Computed with the same float32 tensor operations as the reference so bucket boundaries match bit for bit.
/// </summary>
internal static class RelativePositions
{
    /// <summary>
    /// Relative positions between <paramref name="querySize"/> queries and <paramref name="keySize"/> keys:
    /// int64 [1, Lq, Lk]; log-bucketed when both <paramref name="bucketSize"/> and <paramref name="maxPosition"/> are positive.
    /// </summary>
    public static Tensor Build(long querySize, long keySize, int bucketSize, int maxPosition, Device? device = null)
    {
        using var scope = NewDisposeScope();
        var queryIds = torch.arange(querySize, dtype: ScalarType.Int64, device: device);   // (lq)
        var keyIds = torch.arange(keySize, dtype: ScalarType.Int64, device: device);       // (lk)
        var relative = queryIds.unsqueeze(1) - keyIds.unsqueeze(0);                        // (lq, lk)
        if (bucketSize > 0 && maxPosition > 0)
            relative = LogBucket(relative, bucketSize, maxPosition);
        return relative.to(ScalarType.Int64).unsqueeze(0).MoveToOuterDisposeScope();        // (1, lq, lk)
    }

    /// <summary>
    /// Hugging Face's <c>make_log_bucket_position</c>: |δ| &lt; bucketSize/2 maps to itself; beyond,
    /// sign(δ) · (ceil(log(|δ| / mid) / log((maxPosition − 1) / mid) · (mid − 1)) + mid). Returns float32.
    /// </summary>
    public static Tensor LogBucket(Tensor relative, int bucketSize, int maxPosition)
    {
        using var scope = NewDisposeScope();
        long mid = bucketSize / 2;
        var sign = relative.sign();
        var inner = (relative < mid) & (relative > -mid);
        var absolute = torch.where(inner, torch.tensor(mid - 1, dtype: relative.dtype, device: relative.device), relative.abs());
        // Same op order and dtypes as the reference: int64 / int → float32; the span ratio is a float32 scalar.
        var span = torch.tensor((float)((maxPosition - 1) / (double)mid), dtype: ScalarType.Float32, device: relative.device);
        var logPosition = torch.ceil(torch.log(absolute / mid) / torch.log(span) * (mid - 1)) + mid;
        var bucket = torch.where(absolute <= mid, relative.to(logPosition.dtype), logPosition * sign);
        return bucket.MoveToOuterDisposeScope();
    }
}
