using System.Text.Json.Nodes;
using Microsoft.ML.ConvDeberta.Tests.Infrastructure;
using Microsoft.ML.ConvDeberta.Tokenization;

namespace Microsoft.ML.ConvDeberta.Tests.Tokenization;

/// <summary>Family detection, config handling and clear errors of <see cref="TransformerTokenizer.FromPretrained"/>.</summary>
[TestClass]
public class TokenizerLoaderTests
{
    private string _folder = null!;

    [TestInitialize]
    public void CreateFolder() => Directory.CreateDirectory(_folder = Path.Combine(Path.GetTempPath(), "convdeberta-loader-" + Guid.NewGuid().ToString("N")));

    [TestCleanup]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    private void CopyFrom(string checkpoint, params string[] files)
    {
        foreach (var f in files) File.Copy(SharedData.Reference("checkpoints", checkpoint, f), Path.Combine(_folder, f));
    }

    private void WriteJson(string name, JsonNode json) => File.WriteAllText(Path.Combine(_folder, name), json.ToJsonString());

    private static string Tokens(TransformerTokenizer t, string text) =>
        string.Join(" ", t.Encode(text, options: new EncodeOptions { AddSpecialTokens = false }).InputIds.Select(((TemplateTokenizer)t).TokenOf));

    [TestMethod]
    public void MissingOrEmptyFolderNamesWhatIsExpected()
    {
        var missing = Path.Combine(_folder, "nope");
        StringAssert.Contains(Assert.ThrowsExactly<DirectoryNotFoundException>(() => TransformerTokenizer.FromPretrained(missing)).Message, missing);
        var e = Assert.ThrowsExactly<FileNotFoundException>(() => TransformerTokenizer.FromPretrained(_folder));
        StringAssert.Contains(e.Message, "vocab.txt");
        StringAssert.Contains(e.Message, "spm.model");
    }

    [TestMethod]
    public void ByteLevelBpeWithoutMergesNamesMergesFile()
    {
        CopyFrom("tiny-deberta", "vocab.json");
        StringAssert.Contains(Assert.ThrowsExactly<FileNotFoundException>(() => TransformerTokenizer.FromPretrained(_folder)).Message, "merges.txt");
    }

    [TestMethod]
    public void DeclaredClassWithoutItsFilesNamesTheFile()
    {
        CopyFrom("tiny-convbert", "vocab.txt");
        WriteJson("tokenizer_config.json", new JsonObject { ["tokenizer_class"] = "DebertaTokenizer" });
        var e = Assert.ThrowsExactly<FileNotFoundException>(() => TransformerTokenizer.FromPretrained(_folder));
        StringAssert.Contains(e.Message, "vocab.json");
        WriteJson("tokenizer_config.json", new JsonObject { ["tokenizer_class"] = "GPT2Tokenizer" });
        StringAssert.Contains(Assert.ThrowsExactly<NotSupportedException>(() => TransformerTokenizer.FromPretrained(_folder)).Message, "GPT2Tokenizer");
    }

    [TestMethod]
    [DataRow("tokenizer_config.json", "{ not json")]
    [DataRow("special_tokens_map.json", "[1, 2]")]
    [DataRow("added_tokens.json", "{\"<x>\": \"seven\"}")]
    [DataRow("tokenizer.json", "{\"added_tokens\": [{\"content\": \"<x>\"}]}")]
    public void MalformedJsonNamesTheFile(string file, string content)
    {
        CopyFrom("tiny-convbert", "vocab.txt");
        File.WriteAllText(Path.Combine(_folder, file), content);
        StringAssert.Contains(Assert.ThrowsExactly<InvalidDataException>(() => TransformerTokenizer.FromPretrained(_folder)).Message, file);
    }

    [TestMethod]
    public void VocabTxtAloneIsBertWithDefaults()
    {
        CopyFrom("tiny-convbert", "vocab.txt");
        var t = TransformerTokenizer.FromPretrained(_folder);
        Assert.AreEqual(Tokens(t, "hello cafe"), Tokens(t, "HELLO Café"), "do_lower_case (and accent stripping) by default");
        Assert.AreEqual(int.MaxValue, t.ModelMaxLength);
    }

    [TestMethod]
    public void BertSettingsFromTokenizerConfigAreHonoured()
    {
        CopyFrom("tiny-convbert", "vocab.txt", "special_tokens_map.json");
        WriteJson("tokenizer_config.json", new JsonObject { ["do_lower_case"] = true, ["strip_accents"] = false, ["tokenize_chinese_chars"] = false, ["model_max_length"] = 128 });
        var t = TransformerTokenizer.FromPretrained(_folder);
        Assert.AreEqual(128, t.ModelMaxLength);
        Assert.AreNotEqual(Tokens(t, "cafe"), Tokens(t, "café"), "strip_accents=false keeps the accent");
        Assert.AreEqual(1, t.Encode("中文", options: new EncodeOptions { AddSpecialTokens = false }).WordIds.Distinct().Count(), "no CJK splitting");
        WriteJson("tokenizer_config.json", new JsonObject { ["do_lower_case"] = false });
        Assert.AreNotEqual(Tokens(TransformerTokenizer.FromPretrained(_folder), "Hello"), Tokens(t, "Hello"), "do_lower_case=false");
    }

    [TestMethod]
    public void TokenizerJsonOverridesAddedTokensAndNormalizer()
    {
        CopyFrom("tiny-convbert", "vocab.txt", "tokenizer_config.json", "special_tokens_map.json");
        var t0 = TransformerTokenizer.FromPretrained(_folder);
        WriteJson("tokenizer.json", new JsonObject
        {
            ["added_tokens"] = new JsonArray(new JsonObject { ["id"] = t0.VocabularySize, ["content"] = "<ent>", ["special"] = false, ["rstrip"] = true }),
            ["normalizer"] = new JsonObject { ["type"] = "BertNormalizer", ["lowercase"] = false, ["strip_accents"] = null, ["handle_chinese_chars"] = true },
        });
        var t = TransformerTokenizer.FromPretrained(_folder);
        Assert.AreEqual(t0.VocabularySize + 1, t.VocabularySize);
        var ids = t.Encode("a <ent>  b", options: new EncodeOptions { AddSpecialTokens = false }).InputIds;
        Assert.AreEqual(3, ids.Length);
        Assert.AreEqual(t0.VocabularySize, ids[1]);
        Assert.AreEqual("a <ent> b", t.Decode(ids), "non-special added tokens decode on their own");
        Assert.AreNotEqual(Tokens(t0, "Hello"), Tokens(t, "Hello"), "normalizer lowercase=false wins over do_lower_case=true");
    }

    [TestMethod]
    public void DebertaSpecialTokensAndMaskLstripComeFromTheConfigs()
    {
        CopyFrom("tiny-deberta", "vocab.json", "merges.txt", "tokenizer_config.json", "special_tokens_map.json");
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(_folder, "tokenizer_config.json")))!["added_tokens_decoder"]!.AsObject();
        int Id(string content) => int.Parse(config.Single(kv => (string)kv.Value!["content"]! == content).Key);
        var t = TransformerTokenizer.FromPretrained(_folder);
        Assert.AreEqual((Id("[CLS]"), Id("[SEP]"), Id("[PAD]"), Id("[UNK]"), Id("[MASK]")), (t.ClsTokenId, t.SepTokenId, t.PadTokenId, t.UnkTokenId, t.MaskTokenId));
        var masked = t.Encode("Paris is the [MASK] of France", options: new EncodeOptions { AddSpecialTokens = false });
        int at = Array.IndexOf(masked.InputIds, t.MaskTokenId);
        Assert.AreEqual("Ġthe", ((TemplateTokenizer)t).TokenOf(masked.InputIds[at - 1]), "lstrip: [MASK] eats the space before it");
        Assert.AreEqual((13, 6), masked.Offsets[at]);
    }

    [TestMethod]
    public void AddPrefixSpaceMapsTheVirtualSpaceToNothing()
    {
        CopyFrom("tiny-deberta", "vocab.json", "merges.txt");
        WriteJson("tokenizer_config.json", new JsonObject { ["tokenizer_class"] = "DebertaTokenizer", ["add_prefix_space"] = true });
        var t = TransformerTokenizer.FromPretrained(_folder);
        var e = t.Encode("hello world", options: new EncodeOptions { AddSpecialTokens = false });
        Assert.AreEqual("Ġhello", ((TemplateTokenizer)t).TokenOf(e.InputIds[0]));
        Assert.AreEqual((0, 5), e.Offsets[0]);
        Assert.AreEqual(Tokens(t, "hello"), Tokens(t, " hello"), "no second space when the text starts with one");
    }

    [TestMethod]
    public void SentencePieceAddedTokensJsonAndSplitByPunct()
    {
        CopyFrom("tiny-deberta-v3", "spm.model", "added_tokens.json", "special_tokens_map.json");
        var added = JsonNode.Parse(File.ReadAllText(Path.Combine(_folder, "added_tokens.json")))!.AsObject();
        WriteJson("tokenizer_config.json", new JsonObject { ["tokenizer_class"] = "DebertaV2Tokenizer", ["split_by_punct"] = true });
        var t = TransformerTokenizer.FromPretrained(_folder);
        Assert.AreEqual((int)added["[MASK]"]!, t.MaskTokenId);
        var e = t.Encode("well,done", options: new EncodeOptions { AddSpecialTokens = false });
        int comma = Enumerable.Range(0, e.Length).Single(i => e.Offsets[i] == (4, 1));
        Assert.IsTrue(Enumerable.Range(0, e.Length).All(i => i == comma || e.Offsets[i].Start + e.Offsets[i].Length <= 4 || e.Offsets[i].Start >= 5), "no piece crosses the punctuation");
        Assert.AreEqual(3, e.WordIds.Distinct().Count());
    }

    [TestMethod]
    public void SentencePieceDoLowerCaseLowersTextButKeepsOffsetsInTheInput()
    {
        CopyFrom("tiny-deberta-v3", "spm.model", "added_tokens.json", "special_tokens_map.json");
        WriteJson("tokenizer_config.json", new JsonObject { ["tokenizer_class"] = "DebertaV2Tokenizer", ["do_lower_case"] = true });
        var t = TransformerTokenizer.FromPretrained(_folder);
        const string text = "HELLO İstanbul [MASK]";
        var upper = t.Encode(text, options: new EncodeOptions { AddSpecialTokens = false });
        CollectionAssert.AreEqual(t.Encode("hello i\u0307stanbul [MASK]", options: new EncodeOptions { AddSpecialTokens = false }).InputIds, upper.InputIds);
        Assert.AreEqual(t.MaskTokenId, upper.InputIds[^1], "special tokens are matched before lower-casing");
        Assert.AreEqual((0, 5), upper.Offsets[0]);
        Assert.AreEqual(text.Length, upper.Offsets[^1].Start + upper.Offsets[^1].Length);
        Assert.IsTrue(upper.Offsets.All(o => o.Start >= 0 && o.Start + o.Length <= text.Length));
    }
}
