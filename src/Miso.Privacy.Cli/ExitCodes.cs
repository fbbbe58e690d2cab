namespace Miso.Privacy.Cli;

/// <summary>
/// What a script can tell apart. 2 always means nothing was sent to the service; 3, 4 and 5 say whom to ask
/// (whoever gives out keys, the service's operator, the network).
/// </summary>
public static class ExitCodes
{
    /// <summary>Done; for a verification, valid.</summary>
    public const int Success = 0;

    /// <summary>The service refused the operation (a 4xx other than 401/403), or a verification found the evidence invalid.</summary>
    public const int Failed = 1;

    /// <summary>The command line or its input is wrong (unknown option, bad date, unreadable file, an id too long); nothing was sent.</summary>
    public const int Usage = 2;

    /// <summary>The key is missing, unknown, revoked or expired (401), or lacks the scope the operation needs (403).</summary>
    public const int Unauthorized = 3;

    /// <summary>The service failed: a 5xx or 429 after retries, or an answer this client cannot read.</summary>
    public const int ServiceError = 4;

    /// <summary>The service could not be reached: connection refused, name not found, TLS, or no answer in time.</summary>
    public const int Unreachable = 5;

    /// <summary>Stopped by Ctrl-C or SIGTERM (128 + SIGINT, as shells report it).</summary>
    public const int Interrupted = 130;
}
