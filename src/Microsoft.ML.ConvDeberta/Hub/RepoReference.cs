using System.Text.RegularExpressions;

namespace Microsoft.ML.ConvDeberta.Hub;

/// <summary>A model repository on the Hub and the revision asked for: parsed from <c>org/name[@revision]</c>.</summary>
internal sealed partial record RepoReference(string RepoId, string Revision)
{
    /// <summary>The revision used when none is given.</summary>
    public const string DefaultRevision = "main";

    /// <summary>The cache folder name huggingface_hub uses: <c>models--org--name</c>.</summary>
    public string CacheFolderName => "models--" + RepoId.Replace("/", "--", StringComparison.Ordinal);

    /// <summary>True when <see cref="Revision"/> is a full commit hash (an immutable snapshot).</summary>
    public bool RevisionIsCommit => IsCommitHash(Revision);

    /// <summary>True for a 40-character lower-case hexadecimal git commit hash.</summary>
    public static bool IsCommitHash(string text) => CommitPattern().IsMatch(text);

    /// <summary>
    /// Parses <paramref name="checkpoint"/> as a repo id with an optional <c>@revision</c>; <paramref name="optionRevision"/>
    /// applies when the text has none. Returns null (and the reason) when the text is not a repo id.
    /// </summary>
    public static RepoReference? TryParse(string checkpoint, string? optionRevision, out string? error)
    {
        error = null;
        var at = checkpoint.IndexOf('@', StringComparison.Ordinal);
        var id = at < 0 ? checkpoint : checkpoint[..at];
        var inline = at < 0 ? null : checkpoint[(at + 1)..];
        if (!IdPattern().IsMatch(id) || id.Contains("--", StringComparison.Ordinal) || id.Contains("..", StringComparison.Ordinal)
            || id.EndsWith(".git", StringComparison.Ordinal))
        {
            error = $"'{id}' is not a Hugging Face repo id: expected 'org/name' (letters, digits, '-', '_', '.'; no '--' or '..'), optionally followed by '@revision'.";
            return null;
        }
        if (inline is { Length: 0 } || inline?.Any(char.IsWhiteSpace) == true)
        {
            error = $"'{checkpoint}' has an empty or blank revision after '@': write 'org/name@main', a tag or a commit hash.";
            return null;
        }
        if (inline != null && !string.IsNullOrEmpty(optionRevision) && inline != optionRevision)
        {
            error = $"'{checkpoint}' asks for revision '{inline}' but HubOptions.Revision is '{optionRevision}': give one of them.";
            return null;
        }
        var revision = inline ?? (string.IsNullOrWhiteSpace(optionRevision) ? DefaultRevision : optionRevision);
        if (revision.Contains("..", StringComparison.Ordinal) || Path.IsPathRooted(revision))
        {
            error = $"Revision '{revision}' is not a valid branch, tag or commit name.";
            return null;
        }
        return new RepoReference(id, revision);
    }

    /// <inheritdoc/>
    public override string ToString() => $"{RepoId}@{Revision}";

    // huggingface_hub's REPO_ID_REGEX: each part starts and ends with a word character, names up to 96 characters.
    [GeneratedRegex(@"^(?:\w(?:[\w\-.]*\w)?/)?\w(?:[\w\-.]{0,94}\w)?$")]
    private static partial Regex IdPattern();

    [GeneratedRegex("^[0-9a-f]{40}$")]
    private static partial Regex CommitPattern();
}
