using System.IO.Compression;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.ConvDeberta.Checkpoints.PyTorch;

/// <summary>
/// Reads a <c>pytorch_model.bin</c> written by <c>torch.save(state_dict)</c> (torch ≥ 1.6 zip format):
/// <c>&lt;prefix&gt;/data.pkl</c> (an OrderedDict of name → <c>_rebuild_tensor_v2</c>) and one raw little-endian
/// record <c>&lt;prefix&gt;/data/&lt;key&gt;</c> per storage. The prefix is whatever folder holds data.pkl (the file
/// stem, or <c>archive/</c> for newer torch). Tensors are views of their storage with its offset and strides,
/// so tied weights keep sharing memory as they did in Python.
/// </summary>
internal static class PyTorchCheckpointReader
{
    /// <summary>Loads every tensor of the checkpoint, keeping its stored dtype.</summary>
    public static Dictionary<string, Tensor> Load(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"PyTorch checkpoint '{path}' does not exist.", path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        CheckZipSignature(stream, path);
        ZipArchive zip;
        try { zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true); }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"PyTorch checkpoint '{path}' is a corrupt or truncated zip archive ({e.Message}). Download it again.", e);
        }
        using (zip)
        {
            try { return LoadFromZip(zip, path); }
            catch (InvalidDataException e) when (!e.Message.Contains(path, StringComparison.Ordinal))
            {
                throw new InvalidDataException($"PyTorch checkpoint '{path}' is corrupt ({e.Message}). Download it again.", e);
            }
        }
    }

    private static Dictionary<string, Tensor> LoadFromZip(ZipArchive zip, string path)
    {
        var pickles = zip.Entries.Where(e => e.FullName == "data.pkl" || e.FullName.EndsWith("/data.pkl", StringComparison.Ordinal)).ToList();
        if (pickles.Count != 1)
            throw new InvalidDataException(
                $"PyTorch checkpoint '{path}' has {pickles.Count} data.pkl records; a torch.save zip has exactly one (<folder>/data.pkl). " +
                "The file is not a PyTorch checkpoint or is damaged.");
        string prefix = pickles[0].FullName[..^"data.pkl".Length];
        CheckByteOrder(zip.GetEntry(prefix + "byteorder"), path);

        var storages = new Dictionary<string, StorageRef>();
        object PersistentLoad(object?[] pid)
        {
            // ('storage', torch.<Type>Storage, key, location, numel)
            if (pid.Length < 5 || pid[0] as string != "storage" || pid[2] is not string key || pid[4] is not long count)
                throw new InvalidDataException($"'{path}': unexpected persistent id {TorchPickleGlobals.Describe(pid)} (expected a torch storage).");
            if (!storages.TryGetValue(key, out var storage))
                storages[key] = storage = new StorageRef(key, TorchPickleGlobals.StorageDType(pid[1], path), count);
            return storage;
        }

        var root = new PickleReader(ReadAll(pickles[0], path), path, PersistentLoad).Load();
        var refs = StateDictEntries(root, path);

        var tensors = new Dictionary<string, Tensor>(storages.Count);
        var result = new Dictionary<string, Tensor>(refs.Count);
        try
        {
            foreach (var storage in storages.Values)
                tensors[storage.Key] = ReadStorage(zip, prefix, storage, path);
            foreach (var (name, r) in refs)
                result[name] = StorageView.Create(tensors[r.Storage.Key], r, name, path);
        }
        catch
        {
            foreach (var t in result.Values) t.Dispose();
            throw;
        }
        finally
        {
            foreach (var t in tensors.Values) t.Dispose(); // the views keep the storages alive
        }
        return result;
    }

    /// <summary>The pickle's top level must be a dict of name → tensor (a state dict).</summary>
    private static List<(string Name, TensorRef Tensor)> StateDictEntries(object? root, string path)
    {
        if (root is not PickleDict dict)
            throw new InvalidDataException($"'{path}' does not hold a state dict (found {TorchPickleGlobals.Describe(root)}); save model.state_dict(), not the model object.");
        var entries = new List<(string, TensorRef)>(dict.Items.Count);
        foreach (var (key, value) in dict.Items)
        {
            if (key is not string name || value is not TensorRef tensor)
                throw new InvalidDataException(
                    $"'{path}' holds a dict entry {TorchPickleGlobals.Describe(key)} that is not name → tensor ({TorchPickleGlobals.Describe(value)}). " +
                    "Only plain state dicts are supported; save model.state_dict().");
            entries.Add((name, tensor));
        }
        return entries;
    }

    private static Tensor ReadStorage(ZipArchive zip, string prefix, StorageRef storage, string path)
    {
        var entry = zip.GetEntry(prefix + "data/" + storage.Key)
            ?? throw new InvalidDataException($"PyTorch checkpoint '{path}' lacks storage record '{prefix}data/{storage.Key}' (truncated or damaged file).");
        long bytes = storage.Count * StorageView.ElementSize(storage.DType);
        if (entry.Length != bytes)
            throw new InvalidDataException(
                $"PyTorch checkpoint '{path}': storage record '{entry.FullName}' has {entry.Length} bytes but {storage.Count} {storage.DType} elements need {bytes}.");
        var tensor = torch.empty(storage.Count, storage.DType);
        try
        {
            using var source = entry.Open();
            TensorMemory.ReadFrom(tensor, source);
            return tensor;
        }
        catch (EndOfStreamException e)
        {
            tensor.Dispose();
            throw new InvalidDataException($"PyTorch checkpoint '{path}': storage record '{entry.FullName}' is truncated ({e.Message}).", e);
        }
        catch
        {
            tensor.Dispose();
            throw;
        }
    }

    private static byte[] ReadAll(ZipArchiveEntry entry, string path)
    {
        // A state dict's pickle holds names and shapes only: even 10k-tensor checkpoints stay in the megabytes.
        if (entry.Length > 1L << 30)
            throw new InvalidDataException($"PyTorch checkpoint '{path}': '{entry.FullName}' claims {entry.Length} bytes, too large for a state-dict pickle (corrupt file?).");
        using var source = entry.Open();
        var buffer = new byte[entry.Length];
        try { source.ReadExactly(buffer); }
        catch (EndOfStreamException e) { throw new InvalidDataException($"PyTorch checkpoint '{path}': record '{entry.FullName}' is truncated.", e); }
        return buffer;
    }

    private static void CheckByteOrder(ZipArchiveEntry? entry, string path)
    {
        if (entry == null) return; // torch < 2.1 writes none: little-endian
        using var reader = new StreamReader(entry.Open());
        var order = reader.ReadToEnd().Trim();
        if (order != "little")
            throw new InvalidDataException($"PyTorch checkpoint '{path}' stores tensors in '{order}'-endian byte order; only little-endian files are supported. Re-save it on a little-endian machine or as safetensors.");
    }

    /// <summary>Tells a zip from the pre-1.6 formats (raw pickle stream or tar), which are refused clearly.</summary>
    private static void CheckZipSignature(FileStream stream, string path)
    {
        Span<byte> head = stackalloc byte[4];
        int read = stream.ReadAtLeast(head, 4, throwOnEndOfStream: false);
        stream.Position = 0;
        if (read == 4 && head[0] == (byte)'P' && head[1] == (byte)'K') return;
        if (read > 0 && head[0] == 0x80)
            throw new InvalidDataException(
                $"'{path}' is in PyTorch's legacy (pre-1.6, non-zip) serialization format, which this library does not read. " +
                "Re-save it with torch ≥ 1.6 (torch.save(torch.load(f), f)) or convert it to model.safetensors.");
        throw new InvalidDataException(
            $"'{path}' is not a PyTorch zip checkpoint ({(read == 0 ? "the file is empty" : "unknown file signature")}). " +
            "Expected a file written by torch.save (torch ≥ 1.6); the download may be incomplete.");
    }
}
