using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Miso.Privacy.Cli;

/// <summary>Options and arguments whose values are checked as they are parsed, so a bad one is a usage error (exit 2).</summary>
static partial class OptionKinds
{
    public static Option<string> Choice(string name, string description, string? defaultValue, params string[] choices)
    {
        var option = new Option<string>(name) { Description = description };
        if (defaultValue is not null)
            option.DefaultValueFactory = _ => defaultValue;
        option.AcceptOnlyFromAmong(choices);
        return option;
    }

    /// <summary>A date-time; without an offset it is the local time of the machine the command runs on.</summary>
    public static Option<DateTimeOffset?> Time(string name, string description) => new(name)
    {
        Description = description + " (ISO 8601, such as 2026-03-01T09:30:00Z)",
        CustomParser = result =>
        {
            var text = result.Tokens.Single().Value;
            if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeLocal, out var time))
                return time;
            result.AddError($"{name} must be a date-time such as 2026-03-01T09:30:00Z; got '{text}'.");
            return null;
        },
    };

    /// <summary>A report bound: a date or a date-time, passed on as written (the service reads it, UTC unless an offset is given).</summary>
    public static Option<string> Bound(string name, string description)
    {
        var option = new Option<string>(name) { Description = description + " (2026-01-01 or 2026-01-01T00:00:00Z)" };
        option.Validators.Add(result =>
        {
            var text = result.Tokens.Single().Value;
            if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _)
                && !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _))
                result.AddError($"{name} must be a date (2026-01-01) or a date-time (2026-01-01T00:00:00Z); got '{text}'.");
        });
        return option;
    }

    /// <summary>An id the service gives out as a UUID: anything else cannot name one, so it is refused before asking.</summary>
    public static Argument<string> Id(string name, string description)
    {
        var argument = new Argument<string>(name) { Description = description };
        argument.Validators.Add(result => CheckUuid(result, name));
        return argument;
    }

    /// <summary><c>seq:hash</c>, as a manifest or <c>audit checkpoint</c> gives it.</summary>
    public static Option<string> Checkpoint(string name, string description)
    {
        var option = new Option<string>(name) { Description = description };
        option.Validators.Add(result =>
        {
            if (!CheckpointPattern().IsMatch(result.Tokens.Single().Value))
                result.AddError($"{name} must be seq:hash, a whole number, a colon and 64 hex digits, as a manifest's chain head gives them.");
        });
        return option;
    }

    static void CheckUuid(SymbolResult result, string name)
    {
        if (result.Tokens.Count == 1 && !Guid.TryParseExact(result.Tokens[0].Value, "D", out _))
            result.AddError($"<{name}> must be a UUID such as 0193b2c4-5d6e-7f80-9a1b-2c3d4e5f6a7b; got '{result.Tokens[0].Value}'.");
    }

    [GeneratedRegex("^[0-9]{1,19}:[0-9a-fA-F]{64}$")]
    private static partial Regex CheckpointPattern();
}
