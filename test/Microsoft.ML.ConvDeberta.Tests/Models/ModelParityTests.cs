using System.Text.Json;
using Microsoft.ML.ConvDeberta.Checkpoints;
using Microsoft.ML.ConvDeberta.Models;
using Microsoft.ML.ConvDeberta.Tests.Infrastructure;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.ConvDeberta.Tests.Models;

/// <summary>
/// Numerical parity with the Python reference, one row per case folder found under
/// $CONVDEBERTA_REFERENCE_DIR/models (default ../shared/reference/models). A new folder is picked up with no code change.
/// </summary>
[TestClass]
public class ModelParityTests
{
    private const string Missing = "(reference folder missing)";

    public static IEnumerable<object[]> Cases()
    {
        var cases = ReferenceCase.Discover(Path.Combine(SharedData.ReferenceDir, "models")).ToList();
        if (cases.Count == 0) return [[Missing]];
        return cases.Select(c => new object[] { c });
    }

    [TestMethod, TestCategory("Parity")]
    [DynamicData(nameof(Cases))]
    public void ForwardMatchesReference(string caseName)
    {
        using var scope = NewDisposeScope();
        using var reference = Open(caseName);
        using var model = Build(reference);
        bool training = reference.HeadName == "train_step" || reference.Json.TryGetProperty("optimizer", out _);
        if (training)
        {
            TrainStep(reference, model);
            return;
        }
        model.eval();
        using var noGrad = torch.no_grad();
        var output = model.forward(Inputs(reference, reference.ForwardKwargs()));
        int compared = 0;
        // Losses of extra calls (other labels) are checked against those calls below, not against this forward.
        var extraCallLosses = reference.Json.GetProperty("extra_calls").EnumerateArray().Select(c => c.GetProperty("name").GetString()).ToHashSet();
        foreach (var (name, spec) in reference.TensorsWithRole("output", "loss", "debug"))
        {
            if (extraCallLosses.Contains(name)) continue;
            var actual = Select(output, name) ?? throw new AssertFailedException($"{caseName}: the model produced no '{name}'.");
            TensorAssert.Close(reference.Tensors[name], actual, ReferenceCase.Tolerance(spec, "atol", 1e-4), ReferenceCase.Tolerance(spec, "rtol", 1e-4), $"{caseName}: {name}");
            compared++;
        }
        foreach (var call in reference.Json.GetProperty("extra_calls").EnumerateArray())
        {
            var extra = model.forward(Inputs(reference, reference.ForwardKwargs(call)));
            Assert.IsNotNull(extra.Loss, $"{caseName}: extra call {call.GetProperty("name")} returned no loss");
            Assert.AreEqual(call.GetProperty("loss").GetDouble(), extra.Loss.item<float>(), 1e-5 + 1e-5 * Math.Abs(call.GetProperty("loss").GetDouble()),
                $"{caseName}: extra call {call.GetProperty("name")}");
            compared++;
        }
        Assert.IsTrue(compared > 0, $"{caseName}: expected.json lists nothing to compare");
    }

    internal static ReferenceCase Open(string caseName)
    {
        if (caseName == Missing) SharedData.Require(Path.Combine(SharedData.ReferenceDir, "models"));
        return new ReferenceCase(Path.Combine(SharedData.ReferenceDir, "models", caseName), caseName);
    }

    internal static TaskModel Build(ReferenceCase reference, string weightsFile = "model.safetensors")
    {
        var config = ModelConfigs.Load(reference.Directory);
        var (family, head) = ModelFamilies.ForClassName(reference.ModelClass);
        var model = family.Create(config, head);
        var weights = CheckpointFiles.LoadStateDict(reference.Directory);
        WeightLoader.Load(model, weights, reference.Directory);
        foreach (var t in weights.Values) t.Dispose();
        model.Encoder.Outputs = OutputOptions.All;
        return model;
    }

    internal static ModelInputs Inputs(ReferenceCase reference, IReadOnlyDictionary<string, string> kwargs)
    {
        Tensor? Get(string arg) => kwargs.TryGetValue(arg, out var name) ? reference.Tensors[name] : null;
        return new ModelInputs
        {
            InputIds = Get("input_ids")!,
            AttentionMask = Get("attention_mask"),
            TokenTypeIds = Get("token_type_ids"),
            PositionIds = Get("position_ids"),
            Labels = Get("labels"),
            StartPositions = Get("start_positions"),
            EndPositions = Get("end_positions"),
        };
    }

    internal static Tensor? Select(ModelOutput output, string name)
    {
        if (name is "logits" or "logits_before") return output.Logits;
        if (name == "start_logits") return output.StartLogits;
        if (name == "end_logits") return output.EndLogits;
        if (name.StartsWith("loss", StringComparison.Ordinal)) return output.Loss;
        if (name is "last_hidden_state" or "debug.last_hidden_state") return output.Encoder.LastHiddenState;
        if (name.StartsWith("hidden_states.", StringComparison.Ordinal)) return Indexed(output.Encoder.HiddenStates, name);
        if (name.StartsWith("attentions.", StringComparison.Ordinal)) return Indexed(output.Encoder.Attentions, name);
        if (name.StartsWith("debug.", StringComparison.Ordinal))
            return output.Encoder.Debug.TryGetValue(name["debug.".Length..], out var t) ? t : null;
        return null;
    }

    private static Tensor? Indexed(IReadOnlyList<Tensor> list, string name)
    {
        int i = int.Parse(name[(name.LastIndexOf('.') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        return i < list.Count ? list[i] : null;
    }

    /// <summary>One AdamW step in train mode (dropouts are 0 in the case's config), compared with the reference.</summary>
    private static void TrainStep(ReferenceCase reference, TaskModel model)
    {
        var name = reference.Name;
        model.train();
        var inputs = Inputs(reference, reference.ForwardKwargs());
        var before = model.forward(inputs);
        Check(reference, "logits_before", before.Logits!);
        Check(reference, "loss_before", before.Loss!);
        before.Loss!.backward();

        var parameters = model.named_parameters().ToList();
        using (torch.no_grad())
        {
            var norms = parameters.Where(p => p.parameter.grad is not null).Select(p => p.parameter.grad!.to(ScalarType.Float64).norm()).ToList();
            var gradNorm = torch.stack(norms).norm();
            Check(reference, "grad_norm", gradNorm);
        }
        var grads = new Dictionary<string, Tensor>();
        foreach (var (key, parameter) in parameters)
        {
            if (reference.Tensors.TryGetValue("grad." + key, out _))
            {
                Assert.IsNotNull(parameter.grad, $"{name}: parameter {key} got no gradient");
                Check(reference, "grad." + key, parameter.grad!);
                grads[key] = parameter.grad!.clone();
            }
        }
        var expectedGradCount = reference.TensorsWithRole("train").Count(t => t.Name.StartsWith("grad.", StringComparison.Ordinal));
        Assert.AreEqual(expectedGradCount, grads.Count, $"{name}: parameters with reference gradients");

        var opt = reference.Json.GetProperty("optimizer");
        var betas = opt.GetProperty("betas");
        using var optimizer = torch.optim.AdamW(model.parameters(), opt.GetProperty("lr").GetDouble(),
            betas[0].GetDouble(), betas[1].GetDouble(), opt.GetProperty("eps").GetDouble(), opt.GetProperty("weight_decay").GetDouble());
        optimizer.step();

        foreach (var (key, parameter) in parameters)
        {
            if (!reference.Tensors.TryGetValue("updated." + key, out var expected)) continue;
            var spec = reference.Json.GetProperty("tensors").GetProperty("updated." + key);
            double atol = ReferenceCase.Tolerance(spec, "atol", 2e-5);
            // Adam's first step moves an element by lr·g/(|g|+eps), anywhere in (−lr, lr). Where the gradient is noise
            // (|g| < 1e-6 here and in the reference, not both 0; e.g. attention key biases, whose exact gradient is 0)
            // its sign is arbitrary, so two correct implementations may differ by up to 2·lr there.
            double lr = opt.GetProperty("lr").GetDouble();
            using var g = grads[key].abs();
            using var gRef = reference.Tensors.TryGetValue("grad." + key, out var refGrad) ? refGrad.abs() : g.clone();
            using var noise = (g < 1e-6) & (gRef < 1e-6) & ((g > 0) | (gRef > 0));
            using var tolerance = torch.where(noise, atol + 2 * lr, atol).to(ScalarType.Float64);
            using var diff = (parameter.detach().to(ScalarType.Float64) - expected.to(ScalarType.Float64)).abs();
            Assert.IsTrue((diff <= tolerance).all().item<bool>(), $"{name}: updated.{key} max |diff| {diff.max().item<double>():G6}");
        }
        using (torch.no_grad())
        {
            var after = model.forward(inputs);
            Check(reference, "loss_after", after.Loss!);
        }
    }

    private static void Check(ReferenceCase reference, string name, Tensor actual)
    {
        if (!reference.Tensors.TryGetValue(name, out var expected)) return;
        var spec = reference.Json.GetProperty("tensors").GetProperty(name);
        TensorAssert.Close(expected, actual, ReferenceCase.Tolerance(spec, "atol", 1e-4), ReferenceCase.Tolerance(spec, "rtol", 1e-4), $"{reference.Name}: {name}");
    }
}
