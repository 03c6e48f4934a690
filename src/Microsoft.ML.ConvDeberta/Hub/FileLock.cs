namespace Microsoft.ML.ConvDeberta.Hub;

/// <summary>
/// An exclusive lock on a file (<see cref="FileShare.None"/>, which .NET implements with <c>flock</c> on Unix, as
/// Python's <c>filelock</c> does), so two processes never write the same blob at once.
/// </summary>
internal static class FileLock
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);

    /// <summary>Waits until the lock is free, then holds it until the returned handle is disposed.</summary>
    public static async Task<IDisposable> AcquireAsync(string path, CancellationToken ct)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException)
            {
                await Task.Delay(Poll, ct).ConfigureAwait(false); // another download of the same blob is running
            }
        }
    }
}
