using System.Buffers;
using System.Text;
using Miso.Privacy.Forwarding;
using Miso.Privacy.Subjects;
using Miso.Privacy.Suppressions;

namespace Miso.Privacy.Tests.Forwarding;

/// <summary>Bodies and predicates shared by the upload filter tests.</summary>
static class Uploads
{
    public const string SearchRecord =
        """{"user_id":"f5df9ef","type":"search","search":{"keywords":"chips"},"timestamp":"2023-01-24T14:15:21Z"}""";

    public const string PageViewRecord =
        """{"type":"product_detail_page_view","duration":61.5,"product_ids":["123ABC-BLACK"],"product_group_ids":["123ABC"],"user_id":"5b09700","anonymous_id":"86D51273AD8BF84217E1567B6CBE7152D7034404","timestamp":"2023-01-24T14:15:22Z","miso_id":"123e4567-e89b-12d3-a456-426614174000","context":{"campaign":{"name":"spring_sale","source":"Google","medium":"cpc","term":"running+shoes","content":"textlink"},"truncated_ip":"1.1.1.0","locale":"en-US","region":"US East","page":{"url":"https://example.com/miso-tshirt-123ABC","referrer":"https://example.com/","title":"My Product Page"},"user_agent":"Mozilla/5.0 (Windows NT 6.1; Win64; x64; rv:47.0) Gecko/20100101 Firefox/47.0","custom_context":{"session_variable_1":["value_1","value_2"]}}}""";

    /// <summary>The Miso SDK's example upload, as sent.</summary>
    public const string Seed = "{\"data\": [" + SearchRecord + "," + PageViewRecord + "]}";

    public static SubjectPredicate Suppressing(params (SubjectKind Kind, string Id)[] subjects)
    {
        var suppressed = subjects.Select(s => (s.Kind, s.Id)).ToHashSet();
        return (kind, value) => suppressed.Contains((kind, Encoding.UTF8.GetString(value)));
    }

    public static SubjectPredicate Users(params string[] ids) =>
        Suppressing([.. ids.Select(id => (SubjectKind.UserId, id))]);

    public static readonly SubjectPredicate Nobody = (_, _) => false;

    public static UploadFilterResult Filter(string body, SubjectPredicate predicate) =>
        UploadFilter.Filter(Encoding.UTF8.GetBytes(body), predicate);

    public static string Forwarded(UploadFilterResult result) => Encoding.UTF8.GetString(ForwardedBytes(result));

    public static byte[] ForwardedBytes(UploadFilterResult result)
    {
        var output = new ArrayBufferWriter<byte>();
        result.WriteForwardBody(output);
        return output.WrittenSpan.ToArray();
    }
}
