namespace Miso.Privacy.Subjects;

public static class SubjectsSetup
{
    /// <summary>The keyed hashing every stored subject goes through; its key is checked at start.</summary>
    public static IServiceCollection AddSubjects(this IServiceCollection services)
    {
        services.AddOptions<SubjectHashingOptions>().BindConfiguration(SubjectHashingOptions.Section)
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<SubjectHasher>();
        return services;
    }
}
