namespace Microsoft.ML.ConvDeberta.Hub;

/// <summary>
/// The one place where a checkpoint argument becomes a local folder: an existing folder is used as is; a Hub id
/// (<c>org/name</c>, <c>org/name@revision</c>) is resolved through the shared Hugging Face cache, downloading what
/// is missing (honouring HF_HOME, HF_HUB_CACHE, HF_ENDPOINT, HF_TOKEN, HF_HUB_OFFLINE).
/// </summary>
internal static class CheckpointFolders
{
    public static string Resolve(string checkpoint, IProgress<HubDownloadProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(checkpoint);
        if (Directory.Exists(checkpoint)) return Path.GetFullPath(checkpoint);
        if (File.Exists(checkpoint))
            throw new ArgumentException($"'{checkpoint}' is a file: pass the checkpoint folder that holds config.json, the weights and the tokenizer files.", nameof(checkpoint));
        if (RepoReference.TryParse(checkpoint, null, out var error) is null || Path.IsPathRooted(checkpoint) || checkpoint.StartsWith('.'))
            throw new DirectoryNotFoundException(
                $"Checkpoint folder '{checkpoint}' does not exist, and it is not a Hugging Face Hub id ({error ?? "it looks like a file-system path"}). " +
                "Pass a local folder with config.json, model.safetensors or pytorch_model.bin and the tokenizer files, or an id such as 'microsoft/deberta-v3-small'.");
        using var client = new HubClient();
        return client.Resolve(checkpoint, progress, cancellationToken);
    }
}
