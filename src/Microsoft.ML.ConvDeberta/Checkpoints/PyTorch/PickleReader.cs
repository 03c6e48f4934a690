using System.Buffers.Binary;
using System.Text;

namespace Microsoft.ML.ConvDeberta.Checkpoints.PyTorch;

/// <summary>
/// A minimal, safe interpreter for the pickle opcodes <c>torch.save</c> emits (protocol 2, plus the few
/// protocol 3/4 additions newer writers use). Globals go through <see cref="TorchPickleGlobals"/>'s allow-list;
/// persistent ids (storages) go to the caller. Any other opcode is an error naming it and its offset.
/// </summary>
internal sealed class PickleReader
{
    private readonly byte[] _data;
    private readonly string _source;
    private readonly Func<object?[], object> _persistentLoad;
    private readonly Dictionary<long, object?> _memo = [];
    private readonly List<object?> _stack = [];
    private readonly Stack<int> _marks = new();
    private int _pos;

    /// <param name="data">The pickle bytes (may hold several pickles back to back).</param>
    /// <param name="source">Names the file in error messages.</param>
    /// <param name="persistentLoad">Resolves a persistent id tuple (for torch: a storage reference).</param>
    public PickleReader(byte[] data, string source, Func<object?[], object> persistentLoad)
    {
        _data = data;
        _source = source;
        _persistentLoad = persistentLoad;
    }

    /// <summary>Where the next pickle starts (after <see cref="Load"/> returned).</summary>
    public int Position => _pos;

    /// <summary>Runs one pickle from the current position up to its STOP and returns the result.</summary>
    public object? Load()
    {
        _stack.Clear();
        _marks.Clear();
        _memo.Clear();
        try
        {
            while (true)
            {
                int at = _pos;
                byte op = U8();
                if (op == (byte)'.') return Pop();
                Execute(op, at);
            }
        }
        catch (Exception e) when (e is IndexOutOfRangeException or ArgumentOutOfRangeException or InvalidOperationException or InvalidCastException or OverflowException)
        {
            throw new InvalidDataException($"'{_source}': the pickle is truncated or corrupt near byte {_pos} ({e.Message}).", e);
        }
    }

    private void Execute(byte op, int at)
    {
        switch (op)
        {
            case 0x80: U8(); break;                                    // PROTO
            case 0x95: Bytes(8); break;                                // FRAME (protocol 4; framing is irrelevant here)
            case (byte)'(': _marks.Push(_stack.Count); break;          // MARK
            case (byte)'0': Pop(); break;                              // POP
            case (byte)'1': PopMark(); break;                          // POP_MARK
            case (byte)'2': Push(Peek()); break;                       // DUP
            case (byte)'N': Push(null); break;                         // NONE
            case 0x88: Push(true); break;                              // NEWTRUE
            case 0x89: Push(false); break;                             // NEWFALSE
            case (byte)'J': Push((long)BinaryPrimitives.ReadInt32LittleEndian(Bytes(4))); break; // BININT
            case (byte)'K': Push((long)U8()); break;                   // BININT1
            case (byte)'M': Push((long)BinaryPrimitives.ReadUInt16LittleEndian(Bytes(2))); break; // BININT2
            case 0x8a: Push(Long1(U8())); break;                       // LONG1
            case (byte)'G': Push(BinaryPrimitives.ReadDoubleBigEndian(Bytes(8))); break; // BINFLOAT
            case (byte)'X': Push(Utf8(checked((int)BinaryPrimitives.ReadUInt32LittleEndian(Bytes(4))))); break; // BINUNICODE
            case 0x8c: Push(Utf8(U8())); break;                        // SHORT_BINUNICODE
            case 0x8d: Push(Utf8(checked((int)BinaryPrimitives.ReadInt64LittleEndian(Bytes(8))))); break; // BINUNICODE8
            case (byte)'T': Push(Latin1(checked((int)BinaryPrimitives.ReadUInt32LittleEndian(Bytes(4))))); break; // BINSTRING
            case (byte)'U': Push(Latin1(U8())); break;                 // SHORT_BINSTRING
            case (byte)'B': Push(Bytes(checked((int)BinaryPrimitives.ReadUInt32LittleEndian(Bytes(4)))).ToArray()); break; // BINBYTES
            case (byte)'C': Push(Bytes(U8()).ToArray()); break;        // SHORT_BINBYTES
            case (byte)')': Push(Array.Empty<object?>()); break;       // EMPTY_TUPLE
            case (byte)'t': Push(PopMark().ToArray()); break;          // TUPLE
            case 0x85: Push(new[] { Pop() }); break;                   // TUPLE1
            case 0x86: { var b = Pop(); var a = Pop(); Push(new[] { a, b }); break; } // TUPLE2
            case 0x87: { var c = Pop(); var b = Pop(); var a = Pop(); Push(new[] { a, b, c }); break; } // TUPLE3
            case (byte)']': Push(new List<object?>()); break;          // EMPTY_LIST
            case (byte)'l': Push(PopMark()); break;                    // LIST
            case (byte)'a': { var v = Pop(); As<List<object?>>(Peek(), "APPEND").Add(v); break; }
            case (byte)'e': { var items = PopMark(); As<List<object?>>(Peek(), "APPENDS").AddRange(items); break; }
            case (byte)'}': Push(new PickleDict()); break;             // EMPTY_DICT
            case (byte)'d': { var items = PopMark(); var d = new PickleDict(); SetItems(d, items); Push(d); break; } // DICT
            case (byte)'s': { var v = Pop(); var k = Pop(); As<PickleDict>(Peek(), "SETITEM").Set(Key(k), v); break; }
            case (byte)'u': { var items = PopMark(); SetItems(As<PickleDict>(Peek(), "SETITEMS"), items); break; }
            case (byte)'q': _memo[U8()] = Peek(); break;               // BINPUT
            case (byte)'r': _memo[BinaryPrimitives.ReadUInt32LittleEndian(Bytes(4))] = Peek(); break; // LONG_BINPUT
            case 0x94: _memo[_memo.Count] = Peek(); break;             // MEMOIZE
            case (byte)'h': Push(Memo(U8())); break;                   // BINGET
            case (byte)'j': Push(Memo(BinaryPrimitives.ReadUInt32LittleEndian(Bytes(4)))); break; // LONG_BINGET
            case (byte)'c': { var module = Line(); var name = Line(); Push(TorchPickleGlobals.Resolve(module, name, _source)); break; } // GLOBAL
            case 0x93: { var name = As<string>(Pop(), "STACK_GLOBAL"); var module = As<string>(Pop(), "STACK_GLOBAL"); Push(TorchPickleGlobals.Resolve(module, name, _source)); break; }
            case (byte)'R': { var args = As<object?[]>(Pop(), "REDUCE"); var callable = Pop(); Push(TorchPickleGlobals.Call(callable, args, _source)); break; }
            case (byte)'b': { var state = Pop(); TorchPickleGlobals.Build(Peek(), state, _source); break; } // BUILD
            case (byte)'Q': Push(_persistentLoad(As<object?[]>(Pop(), "BINPERSID"))); break; // BINPERSID
            default:
                throw new InvalidDataException(
                    $"'{_source}': unsupported pickle opcode 0x{op:x2} ('{(op is >= 32 and < 127 ? (char)op : '?')}') at byte {at}. " +
                    "Only the opcodes torch.save writes for state dicts are accepted; re-save the checkpoint as safetensors.");
        }
    }

    private void SetItems(PickleDict dict, List<object?> items)
    {
        if (items.Count % 2 != 0) throw new InvalidDataException($"'{_source}': odd number of items in a pickle dict near byte {_pos}.");
        for (int i = 0; i < items.Count; i += 2) dict.Set(Key(items[i]), items[i + 1]);
    }

    private object Key(object? key) =>
        key ?? throw new InvalidDataException($"'{_source}': None used as a dict key near byte {_pos}.");

    private T As<T>(object? value, string opcode) =>
        value is T typed ? typed : throw new InvalidDataException(
            $"'{_source}': pickle {opcode} near byte {_pos} expected {typeof(T).Name}, found {TorchPickleGlobals.Describe(value)}.");

    private object? Memo(long index) =>
        _memo.TryGetValue(index, out var value) ? value : throw new InvalidDataException($"'{_source}': pickle memo {index} read before it was written (corrupt pickle).");

    private void Push(object? value) => _stack.Add(value);
    private object? Peek() => _stack.Count > 0 ? _stack[^1] : throw new InvalidDataException($"'{_source}': pickle stack underflow near byte {_pos}.");
    private object? Pop()
    {
        var value = Peek();
        _stack.RemoveAt(_stack.Count - 1);
        return value;
    }

    private List<object?> PopMark()
    {
        if (_marks.Count == 0) throw new InvalidDataException($"'{_source}': pickle MARK missing near byte {_pos}.");
        int start = _marks.Pop();
        var items = _stack.GetRange(start, _stack.Count - start);
        _stack.RemoveRange(start, _stack.Count - start);
        return items;
    }

    private byte U8()
    {
        if (_pos >= _data.Length) throw new InvalidDataException($"'{_source}': the pickle ends at byte {_pos} without STOP (truncated file).");
        return _data[_pos++];
    }

    private ReadOnlySpan<byte> Bytes(int count)
    {
        if (count < 0 || _pos + count > _data.Length)
            throw new InvalidDataException($"'{_source}': the pickle is truncated (needs {count} bytes at byte {_pos} of {_data.Length}).");
        var span = _data.AsSpan(_pos, count);
        _pos += count;
        return span;
    }

    private string Utf8(int count) => Encoding.UTF8.GetString(Bytes(count));
    private string Latin1(int count) => Encoding.Latin1.GetString(Bytes(count));

    private string Line()
    {
        int end = Array.IndexOf(_data, (byte)'\n', _pos);
        if (end < 0) throw new InvalidDataException($"'{_source}': unterminated GLOBAL name at byte {_pos}.");
        var text = Encoding.ASCII.GetString(_data, _pos, end - _pos);
        _pos = end + 1;
        return text;
    }

    private object Long1(int count)
    {
        var bytes = Bytes(count);
        if (count == 0) return 0L;
        if (count <= 8)
        {
            Span<byte> buffer = stackalloc byte[8];
            buffer.Fill((bytes[^1] & 0x80) != 0 ? (byte)0xff : (byte)0);
            bytes.CopyTo(buffer);
            return BinaryPrimitives.ReadInt64LittleEndian(buffer);
        }
        return new System.Numerics.BigInteger(bytes, isUnsigned: false, isBigEndian: false);
    }
}
