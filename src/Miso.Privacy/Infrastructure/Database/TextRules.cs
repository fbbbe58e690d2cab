namespace Miso.Privacy.Infrastructure.Database;

public static class TextRules
{
    /// <summary>PostgreSQL text cannot hold NUL, and a lone surrogate cannot be encoded as UTF-8.</summary>
    public static bool IsStorable(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '\0')
                return false;
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
                i++;
            else if (char.IsSurrogate(c))
                return false;
        }
        return true;
    }
}
