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
    [InlineData("Reports__SigningKeys__0__PrivateKeyPem", "MISO_PRIVACY_SIGNING_KEY_PEM")]
    [InlineData("Auth__ApiKeys__0__KeySha256", "MISO_PRIVACY_ADMIN_KEY_SHA256")]
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
    public void Emulator_IsAProfileOnByDefault_AndTheServiceDefaultsToItsEnvironmentsAndKeys()
    {
        var emulator = Map(Services, "emulator");
        Assert.Contains("emulator", Seq(emulator, "profiles"));
        Assert.Equal("src/Miso.Emulator/Dockerfile", Text(Map(emulator, "build"), "dockerfile"));
        Assert.Contains("COMPOSE_PROFILES=emulator", File.ReadAllLines(Path.Combine(RepoRoot.Path, ".env")));

        var service = Map(Services, "service");
        Assert.Equal("service_healthy", Condition(service, "emulator"));
        Assert.Equal("false", Text(Map(Map(service, "depends_on"), "emulator"), "required"));

        var environment = Map(service, "environment");
        EmulatedEnvironment[] emulated = [EmulatorSettings.Production, EmulatorSettings.Development];
        for (var i = 0; i < emulated.Length; i++)
        {
            Assert.Equal(emulated[i].Name, Text(environment, $"Miso__Environments__{i}__Name"));
            Assert.EndsWith(":-http://emulator:5090/}", Text(environment, $"Miso__Environments__{i}__BaseUrl"));
            Assert.EndsWith($":-{emulated[i].SecretKey}}}", Text(environment, $"Miso__Environments__{i}__SecretKey"));
            Assert.EndsWith($":-{emulated[i].PublishableKey}}}", Text(environment, $"Miso__Environments__{i}__PublishableKeys__0"));
        }
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
