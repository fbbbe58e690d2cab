using Miso.Privacy.Erasure;

namespace Miso.Privacy.Forwarding;

/// <summary>Whether the subject named by an id (unescaped UTF-8, valid only during the call) is suppressed.</summary>
public delegate bool SubjectPredicate(SubjectKind kind, ReadOnlySpan<byte> unescapedUtf8Value);
