namespace Miso.Privacy.Erasure;

public enum Regulation { Gdpr, UkGdpr, Ccpa, Other }

/// <summary>
/// <c>erase</c>: suppress and delete at Miso; <c>suppress</c>: an opt-out, kept out of uploads, nothing deleted;
/// <c>delete</c>: deleted at Miso, future uploads not suppressed (the person keeps using the app).
/// </summary>
public enum RequestType { Erase, Suppress, Delete }

/// <summary>Lifecycle as in OpenDSR: pending → in_progress → completed, or cancelled (only while pending), or failed.</summary>
public enum RequestStatus { Pending, InProgress, Completed, Failed, Cancelled }

/// <summary>
/// <c>suppressed_only</c>: an anonymous id (Miso's delete takes user ids only), or any subject of a
/// <c>suppress</c> request: kept out of uploads, but no Miso work.
/// </summary>
public enum SubjectStatus { Pending, SuppressedOnly, Deleted, Failed, Cancelled }
