using System.ComponentModel.DataAnnotations;

namespace Miso.Privacy.Miso;

public sealed class MisoOptions : IValidatableObject
{
    public const string Section = "Miso";

    /// <summary>Every erasure is carried out in each of these; uploads are routed by the key's environment.</summary>
    public List<MisoEnvironment> Environments { get; set; } = [];

    public MisoEnvironment? Find(string name) => Environments.FirstOrDefault(e => e.Name == name);

    /// <summary>Environment names are stored with every work item and suppression (varchar(100)).</summary>
    public const int MaxNameLength = 100;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        // A request covers the environments configured when it is made; with none, it would promise nothing.
        if (Environments.Count == 0)
            yield return new ValidationResult("Miso:Environments must name at least one Miso environment.");
        for (var i = 0; i < Environments.Count; i++)
        {
            var environment = Environments[i];
            var at = $"Miso:Environments:{i}";
            if (string.IsNullOrWhiteSpace(environment.Name))
                yield return new ValidationResult($"{at}:Name is required.");
            else if (environment.Name.Length > MaxNameLength || environment.Name.Trim() != environment.Name)
                yield return new ValidationResult($"{at}:Name must be at most {MaxNameLength} characters, without leading or trailing spaces.");
            if (!Uri.TryCreate(environment.BaseUrl, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
                yield return new ValidationResult($"{at}:BaseUrl must be an absolute http(s) URL, like https://api.askmiso.com.");
            if (string.IsNullOrWhiteSpace(environment.SecretKey))
                yield return new ValidationResult($"{at}:SecretKey is required.");
        }
        foreach (var name in Environments.GroupBy(e => e.Name).Where(g => g.Count() > 1).Select(g => g.Key))
            yield return new ValidationResult($"Miso:Environments has the name '{name}' more than once.");
        var keys = Environments.SelectMany(e => e.PublishableKeys.Append(e.SecretKey)).Where(k => k.Length > 0).ToList();
        if (keys.Count != keys.Distinct().Count())
            yield return new ValidationResult("Miso:Environments: a key belongs to more than one environment.");
    }
}

public sealed class MisoEnvironment
{
    public string Name { get; set; } = "";
    public string BaseUrl { get; set; } = "";
    public string SecretKey { get; set; } = "";
    public List<string> PublishableKeys { get; set; } = [];

    public Uri Url(string path) => new(new Uri(BaseUrl.EndsWith('/') ? BaseUrl : BaseUrl + "/"), path);
}
