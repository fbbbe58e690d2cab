namespace Miso.Privacy.Erasure;

/// <summary>
/// The seam other features hang off a new request (execution starts a drain at once). It runs after
/// the commit: the request is accepted whatever happens here, so a failing observer is logged, never
/// turned into an error the caller would take for "not written" (the recurring drain picks it up).
/// </summary>
public sealed partial class ErasureNotifications(IEnumerable<IErasureRequestObserver> observers, ILogger<ErasureNotifications> logger)
{
    public void RequestCreated(Guid requestId)
    {
        foreach (var observer in observers)
        {
            try
            {
                observer.RequestCreated(requestId);
            }
            catch (Exception e)
            {
                LogObserverFailed(logger, observer.GetType().Name, e.GetType().Name);
            }
        }
    }

    [LoggerMessage(LogLevel.Warning, "{Observer} failed after a request was accepted ({Error}); the recurring drain will take it")]
    static partial void LogObserverFailed(ILogger logger, string observer, string error);
}

public interface IErasureRequestObserver
{
    void RequestCreated(Guid requestId);
}
