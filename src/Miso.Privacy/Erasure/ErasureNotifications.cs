namespace Miso.Privacy.Erasure;

/// <summary>
/// The seam other features hang off a new request (execution starts a drain at once). Subscribers run
/// after the commit and must not throw: the request is already accepted.
/// </summary>
public sealed class ErasureNotifications(IEnumerable<IErasureRequestObserver> observers)
{
    public void RequestCreated(Guid requestId)
    {
        foreach (var observer in observers)
            observer.RequestCreated(requestId);
    }
}

public interface IErasureRequestObserver
{
    void RequestCreated(Guid requestId);
}
