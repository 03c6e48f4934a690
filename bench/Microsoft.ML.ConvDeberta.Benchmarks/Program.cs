using Microsoft.ML.ConvDeberta.Benchmarks;

// Benchmarks are run by hand and reported in notes, never asserted in unit tests:
//   dotnet run --project bench/Microsoft.ML.ConvDeberta.Benchmarks -c Release -- checkpoint-io [layers] [repeats]
//   dotnet run --project bench/Microsoft.ML.ConvDeberta.Benchmarks -c Release -- tokenize [repeats]
//   dotnet run --project bench/Microsoft.ML.ConvDeberta.Benchmarks -c Release -- train [rows]
//   dotnet run --project bench/Microsoft.ML.ConvDeberta.Benchmarks -c Release -- scoring-memory [rounds]
string which = args.Length > 0 ? args[0] : "checkpoint-io";
var rest = args.Skip(1).ToArray();
return which switch
{
    "checkpoint-io" => CheckpointIoBenchmark.Run(rest),
    "tokenize" => TokenizerBenchmark.Run(rest),
    "train" => TrainingBenchmark.Run(rest),
    "scoring-memory" => ScoringMemoryBenchmark.Run(rest),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: Microsoft.ML.ConvDeberta.Benchmarks checkpoint-io|tokenize|train|scoring-memory [args]");
    return 2;
}
