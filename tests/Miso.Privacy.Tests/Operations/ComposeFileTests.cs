using Miso.Emulator;
using YamlDotNet.RepresentationModel;

namespace Miso.Privacy.Tests.Operations;

/// <summary>No Docker engine runs the tests, so docker-compose.yml is checked as data: what starts, in which order, with what.</summary>
public sealed class ComposeFileTests
{
    static readonly string ComposePath = Path.Combine(RepoRoot.Path, "docker-compose.yml");
    static readonly YamlMappingNode Compose = Load(ComposePath);
    static YamlMappingNode Services => Map(Compose, "services");

    [Fact]
    public void Postgres_IsVersion15_OnANamedVolume_WithAPgIsReadyHealthCheck()
    {
        var postgres = Map(Services, "postgres");
        Assert.StartsWith("postgres:15", Text(postgres, "image"));
        var volume = Assert.Single(Seq(postgres, "volumes")).ToString();
        Assert.EndsWith(":/var/lib/postgresql/data", volume);
        Assert.True(Map(Compose, "volumes").Children.ContainsKey(volume.Split(':')[0]), $"{volume} is not a named volume");
        Assert.Contains("pg_isready", Command(Map(postgres, "healthcheck")));
    }

    [Fact]
    public void Migrate_RunsTheRunnerFromTheServiceImage_OnceThePostgresIsHealthy()
    {
        var migrate = Map(Services, "migrate");
        Assert.Equal(".", Text(migrate, "build"));
        Assert.Equal(Text(Map(Services, "service"), "image"), Text(migrate, "image"));
        var run = string.Join(" ", Seq(migrate, "entrypoint").Concat(Seq(migrate, "command")));
        Assert.Contains("dotnet Miso.Privacy.Migrations.dll --connection Host=postgres;Username=postgres;", run);
        Assert.EndsWith("--service-role miso_privacy_service", run);
        Assert.StartsWith("${MISO_PRIVACY_SERVICE_DB_PASSWORD:?set ", Text(Map(migrate, "environment"), "MISO_PRIVACY_SERVICE_ROLE_PASSWORD"));
        Assert.Equal("/app/migrations", Text(migrate, "working_dir"));
        Assert.Equal("no", Text(migrate, "restart"));
        Assert.Equal("service_healthy", Condition(migrate, "postgres"));
    }

    [Fact]
    public void Service_StartsAfterASuccessfulMigration_AndChecksItsReadiness()
    {
        var service = Map(Services, "service");
        Assert.Equal("service_healthy", Condition(service, "postgres"));
        Assert.Equal("service_completed_successfully", Condition(service, "migrate"));
        Assert.Contains("/health/ready", Command(Map(service, "healthcheck")));
        Assert.Contains(Seq(service, "ports"), p => p.EndsWith(":8080", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Privacy__SubjectHashKey", "MISO_PRIVACY_SUBJECT_HASH_KEY")]
    [InlineData("Privacy__RetentionKey", "MISO_PRIVACY_RETENTION_KEY")]
    [InlineData("Reports__SigningKeys__0__PrivateKeyPem", "MISO_PRIVACY_SIGNING_KEY_PEM")]
    [InlineData("Auth__ApiKeys__0__KeySha256", "MISO_PRIVACY_ADMIN_KEY_SHA256")]
    [InlineData("Miso__Environments__0__SecretKey", "MISO_PRODUCTION_SECRET_KEY")]
    [InlineData("Miso__Environments__0__PublishableKeys__0", "MISO_PRODUCTION_PUBLISHABLE_KEY")]
    [InlineData("Miso__Environments__1__SecretKey", "MISO_DEVELOPMENT_SECRET_KEY")]
    [InlineData("Miso__Environments__1__PublishableKeys__0", "MISO_DEVELOPMENT_PUBLISHABLE_KEY")]
    public void Secrets_AreRequired_WithAMessage_NeverDefaulted(string setting, string variable)
    {
        var value = Text(Map(Map(Services, "service"), "environment"), setting);
        Assert.StartsWith("${" + variable + ":?set " + variable, value);
        Assert.DoesNotContain(variable + ":-", File.ReadAllText(ComposePath));
    }

    [Fact]
    public void Database_HasTwoRoles_MigrateAsTheOwner_TheServiceAsItsOwnRole_BothPasswordsRequired()
    {
        var service = Text(Map(Map(Services, "service"), "environment"), "ConnectionStrings__Privacy");
        Assert.Contains("Username=miso_privacy_service;", service);
        Assert.Contains("Password=${MISO_PRIVACY_SERVICE_DB_PASSWORD:?set ", service);
        var migrate = string.Join(" ", Seq(Map(Services, "migrate"), "command"));
        Assert.Contains("Password=${MISO_PRIVACY_DB_PASSWORD:?set ", migrate);
        Assert.StartsWith("${MISO_PRIVACY_DB_PASSWORD:?set ", Text(Map(Map(Services, "postgres"), "environment"), "POSTGRES_PASSWORD"));
        var text = File.ReadAllText(ComposePath);
        Assert.DoesNotContain("MISO_PRIVACY_DB_PASSWORD:-", text);
        Assert.DoesNotContain("MISO_PRIVACY_SERVICE_DB_PASSWORD:-", text);
        Assert.DoesNotContain("Reports__SigningKey:", text);
    }

    [Fact]
    public void NoMisoKey_HasADefault_AndRealMisoIsTheDefaultUrl()
    {
        var text = File.ReadAllText(ComposePath);
        EmulatedEnvironment[] emulated = [EmulatorSettings.Production, EmulatorSettings.Development];
        foreach (var environment in emulated)
        {
            Assert.DoesNotContain(environment.SecretKey, text);
            Assert.DoesNotContain(environment.PublishableKey, text);
        }
        var service = Map(Map(Services, "service"), "environment");
        for (var i = 0; i < emulated.Length; i++)
        {
            Assert.Equal(emulated[i].Name, Text(service, $"Miso__Environments__{i}__Name"));
            Assert.EndsWith(":-https://api.askmiso.com/}", Text(service, $"Miso__Environments__{i}__BaseUrl"));
        }
        var committed = File.ReadAllText(Path.Combine(RepoRoot.Path, ".env"));
        Assert.DoesNotContain("COMPOSE_PROFILES=emulator", committed);
        Assert.DoesNotMatch("(?m)^MISO_", committed);
    }

    [Fact]
    public void Emulator_IsAProfile_ThatEmulatorEnvTurnsOn_WithTheEmulatorsOwnKeysAndAddress()
    {
        var emulator = Map(Services, "emulator");
        Assert.Contains("emulator", Seq(emulator, "profiles"));
        Assert.Equal("src/Miso.Emulator/Dockerfile", Text(Map(emulator, "build"), "dockerfile"));

        var service = Map(Services, "service");
        Assert.Equal("service_healthy", Condition(service, "emulator"));
        Assert.Equal("false", Text(Map(Map(service, "depends_on"), "emulator"), "required"));

        var file = File.ReadAllLines(Path.Combine(RepoRoot.Path, "emulator.env"))
            .Where(l => l.Length > 0 && !l.StartsWith('#')).Select(l => l.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        Assert.Equal("emulator", file["COMPOSE_PROFILES"]);
        foreach (var environment in new[] { EmulatorSettings.Production, EmulatorSettings.Development })
        {
            var prefix = "MISO_" + environment.Name.ToUpperInvariant();
            Assert.Equal("http://emulator:5090/", file[prefix + "_URL"]);
            Assert.Equal(environment.SecretKey, file[prefix + "_SECRET_KEY"]);
            Assert.Equal(environment.PublishableKey, file[prefix + "_PUBLISHABLE_KEY"]);
        }
        // Every variable the file sets is one the compose file reads.
        var text = File.ReadAllText(ComposePath);
        Assert.All(file.Keys.Where(k => k != "COMPOSE_PROFILES"), k => Assert.Contains("${" + k + ":", text));
    }

    [Fact]
    public void TheOnlyConfiguredKey_IsTheBootstrapKey_ThatCreatesTheOthers()
    {
        var environment = Map(Map(Services, "service"), "environment");
        var keys = environment.Children.Keys.Select(k => k.ToString()).Where(k => k.StartsWith("Auth__ApiKeys__", StringComparison.Ordinal)).ToList();
        Assert.All(keys, k => Assert.StartsWith("Auth__ApiKeys__0__", k));
        Assert.Equal("bootstrap", Text(environment, "Auth__ApiKeys__0__Name"));
        // A key grants only the scopes it holds, so the key that creates the others holds them all.
        var scopes = keys.Where(k => k.StartsWith("Auth__ApiKeys__0__Scopes__", StringComparison.Ordinal)).Select(k => Text(environment, k));
        Assert.Equal(["admin", "erasure:read", "erasure:write", "reports:read", "suppression:write"], scopes.Order());
    }

    static YamlMappingNode Load(string path)
    {
        var stream = new YamlStream();
        using var reader = File.OpenText(path);
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    static YamlNode Child(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var child) ? child : throw new Xunit.Sdk.XunitException($"'{key}' is missing");

    static YamlMappingNode Map(YamlMappingNode node, string key) => (YamlMappingNode)Child(node, key);

    static string Text(YamlMappingNode node, string key) => ((YamlScalarNode)Child(node, key)).Value ?? "";

    static string[] Seq(YamlMappingNode node, string key) =>
        ((YamlSequenceNode)Child(node, key)).Children.Select(c => ((YamlScalarNode)c).Value ?? "").ToArray();

    static string Command(YamlMappingNode healthcheck) => string.Join(" ", Seq(healthcheck, "test"));

    static string Condition(YamlMappingNode service, string dependency) => Text(Map(Map(service, "depends_on"), dependency), "condition");
}
