using System.Net;

namespace Microsoft.ML.ConvDeberta.Hub;

/// <summary>Turns Hub answers into <see cref="HubException"/>s that say what went wrong and what to do.</summary>
internal static class HubErrors
{
    /// <summary>The Hub's <c>X-Error-Code</c> header (RepoNotFound, RevisionNotFound, EntryNotFound, GatedRepo), or null.</summary>
    public static string? ErrorCode(HttpResponseMessage response) =>
        response.Headers.TryGetValues("X-Error-Code", out var values) ? values.FirstOrDefault() : null;

    /// <summary>True for a 404 that means "this file is not in the repository" (not a missing repo or revision).</summary>
    public static bool IsMissingFile(HttpResponseMessage response) =>
        response.StatusCode == HttpStatusCode.NotFound && ErrorCode(response) is null or "EntryNotFound";

    /// <summary>The exception for a failed response.</summary>
    public static HubException ForResponse(HttpResponseMessage response, RepoReference repo, string file, HubOptions options)
    {
        int status = (int)response.StatusCode;
        var code = ErrorCode(response);
        var repoPage = $"{options.Endpoint.TrimEnd('/')}/{repo.RepoId}";
        string message = response.StatusCode switch
        {
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => options.Token is null
                ? $"Access to '{repo.RepoId}' was refused (HTTP {status}{Code(code)}): the repository is gated or private, or does not exist. " +
                  $"If it exists, accept its terms at {repoPage} and set HF_TOKEN (or HubOptions.Token) to an access token with read permission."
                : $"Access to '{repo.RepoId}' was refused (HTTP {status}{Code(code)}) although a token was sent: the token in HF_TOKEN (or HubOptions.Token) " +
                  $"is invalid or has no access. For a gated repository, accept its terms at {repoPage} with the token's account.",
            HttpStatusCode.NotFound when code == "RepoNotFound" =>
                $"Repository '{repo.RepoId}' was not found at {options.Endpoint} and no local folder of that name exists. Check the id (org/name), or set HF_TOKEN if it is private.",
            HttpStatusCode.NotFound when code == "RevisionNotFound" =>
                $"Revision '{repo.Revision}' was not found in '{repo.RepoId}': use an existing branch, tag or commit hash.",
            HttpStatusCode.NotFound =>
                $"File '{file}' was not found in '{repo.RepoId}' at revision '{repo.Revision}'.",
            _ => $"The Hub answered HTTP {status} {response.ReasonPhrase} for '{file}' of '{repo.RepoId}' (revision '{repo.Revision}') at {response.RequestMessage?.RequestUri}.",
        };
        return new HubException(message, repo.RepoId, file, status);
    }

    /// <summary>A required file (e.g. config.json) is missing from the repository.</summary>
    public static HubException RequiredMissing(RepoReference repo, string file, string commit) =>
        new($"Repository '{repo.RepoId}' (revision '{repo.Revision}', commit {commit}) has no '{file}': it is not a Hugging Face model checkpoint " +
            "(expected config.json and model.safetensors or pytorch_model.bin).", repo.RepoId, file, 404);

    /// <summary>Offline mode and the cache lacks what is needed.</summary>
    public static HubException OfflineMissing(RepoReference repo, string? file, HubCache cache)
    {
        var what = file is null ? $"revision '{repo.Revision}'" : $"'{file}' (revision '{repo.Revision}')";
        return new HubException(
            $"Offline mode (HF_HUB_OFFLINE=1 or HubOptions.Offline) is on and {what} of '{repo.RepoId}' is not in the cache at {cache.RepoDir}. " +
            "Run once online to download it, or unset HF_HUB_OFFLINE.", repo.RepoId, file);
    }

    /// <summary>The Hub could not be reached and the cache has no copy to fall back on.</summary>
    public static HubException Unreachable(RepoReference repo, string file, HubOptions options, Exception inner) =>
        new($"Could not reach {options.Endpoint} to fetch '{file}' of '{repo.RepoId}' (revision '{repo.Revision}'): {inner.Message}. " +
            "Check the network or HF_ENDPOINT; to use only the local cache set HF_HUB_OFFLINE=1.", repo.RepoId, file, innerException: inner);

    private static string Code(string? code) => code is null ? "" : ", " + code;
}
