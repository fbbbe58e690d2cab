# The service, with the migrations runner beside it so the one-shot `migrate` service reuses this image:
#   docker build -t miso-privacy .
#   docker run miso-privacy                                                     # the service, port 8080
#   docker run -w /app/migrations --entrypoint dotnet miso-privacy Miso.Privacy.Migrations.dll --connection "Host=..."

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# Project files first, so the restore layer is reused until a dependency changes.
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY src/Miso.Privacy/Miso.Privacy.csproj src/Miso.Privacy/
COPY migrations/Miso.Privacy.Migrations/Miso.Privacy.Migrations.csproj migrations/Miso.Privacy.Migrations/
RUN dotnet restore migrations/Miso.Privacy.Migrations/Miso.Privacy.Migrations.csproj
COPY src/Miso.Privacy/ src/Miso.Privacy/
COPY migrations/Miso.Privacy.Migrations/ migrations/Miso.Privacy.Migrations/
RUN dotnet publish src/Miso.Privacy/Miso.Privacy.csproj -c Release --no-restore -p:UseAppHost=false -o /out/service \
 && dotnet publish migrations/Miso.Privacy.Migrations/Miso.Privacy.Migrations.csproj -c Release --no-restore -p:UseAppHost=false -o /out/migrations

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /out/service ./
# Its own folder: the runner's deps.json and runtimeconfig must not mix with the service's.
COPY --from=build /out/migrations ./migrations/
ENV ASPNETCORE_HTTP_PORTS=8080
EXPOSE 8080
# The image's unprivileged `app` user (APP_UID is set by the .NET base images).
USER $APP_UID
# The runtime image has no curl or wget, and installing one only for this widens the image; bash's
# /dev/tcp speaks enough HTTP/1.1 to read the status line of /health/ready.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET /health/ready HTTP/1.1\\r\\nHost: localhost\\r\\nConnection: close\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]
ENTRYPOINT ["dotnet", "Miso.Privacy.dll"]
