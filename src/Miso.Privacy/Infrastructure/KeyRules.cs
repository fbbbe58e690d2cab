namespace Miso.Privacy.Infrastructure;

/// <summary>What every configured secret key must be: base64 of at least 32 random bytes.</summary>
public static class KeyRules
{
    public const int MinBytes = 32;

    public static bool IsBase64Key(string value)
    {
        var buffer = new byte[value.Length];
        return Convert.TryFromBase64String(value, buffer, out var written) && written >= MinBytes;
    }
}
