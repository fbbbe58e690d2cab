using Miso.Privacy.Subjects;

namespace Miso.Privacy.Suppressions;

/// <summary>Whether the subject named by an id (unescaped UTF-8, valid only during the call) is suppressed.</summary>
public delegate bool SubjectPredicate(SubjectKind kind, ReadOnlySpan<byte> unescapedUtf8Value);
