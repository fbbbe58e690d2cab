using Microsoft.Extensions.Options;

namespace Miso.Privacy.Signing;

/// <summary>Every configured key, oldest first, and the one that signs now: the last with a private key.</summary>
public sealed class SigningKeys
{
    const string Generate = "openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out signing-key.pem";

    SigningKeys(List<SigningKey> all) => (All, Current) = (all, all.Last(k => k.CanSign));

    public IReadOnlyList<SigningKey> All { get; }
    public SigningKey Current { get; }

    public SigningKey? Find(string kid) => All.FirstOrDefault(k => k.Kid == kid);

    public static SigningKeys Load(IOptions<SigningOptions> options)
    {
        var (keys, problems) = Read(options.Value);
        return keys ?? throw new OptionsValidationException(SigningOptions.Section, typeof(SigningOptions), problems);
    }

    public static (SigningKeys? Keys, List<string> Problems) Read(SigningOptions options)
    {
        var problems = new List<string>();
        var keys = new List<SigningKey>();
        for (var i = 0; i < options.SigningKeys.Count; i++)
        {
            var o = options.SigningKeys[i];
            var name = $"{SigningOptions.Section}:{nameof(SigningOptions.SigningKeys)}:{i}";
            var sources = new[] { (nameof(o.PrivateKeyPem), o.PrivateKeyPem), (nameof(o.PrivateKeyFile), o.PrivateKeyFile),
                (nameof(o.PublicKeyPem), o.PublicKeyPem), (nameof(o.PublicKeyFile), o.PublicKeyFile) }
                .Where(s => !string.IsNullOrWhiteSpace(s.Item2)).ToList();
            if (sources.Count != 1)
            {
                problems.Add($"{name} needs exactly one of PrivateKeyPem, PrivateKeyFile, PublicKeyPem and PublicKeyFile.");
                continue;
            }
            if (o.Kid is { } kid && (kid.Length is 0 or > 64 || !kid.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')))
                problems.Add($"{name}:Kid must be 1-64 letters, digits, '-' or '_'.");
            var (source, value) = sources[0];
            var pem = value!;
            if (source.EndsWith("File", StringComparison.Ordinal))
            {
                try { pem = File.ReadAllText(value!); }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    problems.Add($"{name}:{source} cannot be read ({e.Message}).");
                    continue;
                }
            }
            var (key, problem) = SigningKey.FromPem(o.Kid, pem, source.StartsWith("Private", StringComparison.Ordinal));
            if (key is null)
                problems.Add($"{name}:{source} {problem}; make one with: {Generate}");
            else if (keys.Any(k => k.Kid == key.Kid))
                problems.Add($"{name}:Kid {key.Kid} names another key too.");
            else
                keys.Add(key);
        }
        if (problems.Count == 0 && !keys.Any(k => k.CanSign))
            problems.Add($"{SigningOptions.Section}:{nameof(SigningOptions.SigningKeys)} needs a key with a private key (PrivateKeyPem or PrivateKeyFile) "
                + $"to sign report manifests and audit checkpoints; make one with: {Generate}");
        return (problems.Count == 0 ? new SigningKeys(keys) : null, problems);
    }
}

/// <summary>Checks the keys at start, so a missing or broken key stops the service with a message naming the setting.</summary>
sealed class SigningOptionsValidation(IConfiguration configuration) : IValidateOptions<SigningOptions>
{
    public ValidateOptionsResult Validate(string? name, SigningOptions options)
    {
        var problems = SigningKeys.Read(options).Problems;
        // The shared HMAC secret it replaces let anyone who could verify a manifest forge one; refuse it rather than ignore it.
        if (configuration[$"{SigningOptions.Section}:SigningKey"] is not null)
            problems.Add($"{SigningOptions.Section}:SigningKey (a shared HMAC secret) is no longer used: remove it, and configure "
                + $"{SigningOptions.Section}:SigningKeys with an EC P-256 private key instead.");
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
