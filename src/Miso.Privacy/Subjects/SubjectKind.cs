namespace Miso.Privacy.Subjects;

/// <summary>Miso's two identity fields; a subject is one identifier of one of them.</summary>
public enum SubjectKind { UserId, AnonymousId }

/// <summary>Miso's own length limits, which a subject must fit to be named at all.</summary>
public static class SubjectLimits
{
    public const int MaxUserIdLength = 512;
    public const int MaxAnonymousIdLength = 1024;

    public static int MaxLength(SubjectKind kind) => kind == SubjectKind.UserId ? MaxUserIdLength : MaxAnonymousIdLength;
}
