#!/usr/bin/env bash
# Starts the whole system with its defaults: a private PostgreSQL cluster in .data/postgres (run as root from a
# folder the postgres user cannot reach, such as a clone in /root: under /var/lib/miso-privacy), the Miso
# emulator (unless real Miso environments are configured), migrations, and the service on port 5080.
# Ctrl-C stops everything it started.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/lib/postgres.sh"

DATA="${MISO_PRIVACY_DATA:-$ROOT/.data}"
PORT="${MISO_PRIVACY_PORT:-5080}"
PG_PORT="${MISO_PRIVACY_PG_PORT:-55432}"
EMULATOR_PORT="${MISO_EMULATOR_PORT:-5090}"
CONFIGURATION="${MISO_PRIVACY_BUILD_CONFIGURATION:-Release}"
mkdir -p "$DATA"
DATA="$(cd "$DATA" && pwd)"
LOCK="$DATA/run.pid"

if [[ -f "$LOCK" ]] && kill -0 "$(cat "$LOCK")" 2>/dev/null; then
  echo "Miso.Privacy is already running from $DATA (pid $(cat "$LOCK")). Stop it there with Ctrl-C first." >&2
  exit 1
fi
for port in "$PORT" "$PG_PORT"; do
  if port_in_use "$port"; then
    echo "Port $port is already in use (another Miso.Privacy?). Set MISO_PRIVACY_PORT / MISO_PRIVACY_PG_PORT to free ports." >&2
    exit 1
  fi
done
echo $$ >"$LOCK"

PIDS=()
PG_STARTED=""
BUILD=""
cleanup() {
  trap - EXIT INT TERM
  [[ -n "$BUILD" ]] && kill "$BUILD" 2>/dev/null || true
  for pid in "${PIDS[@]:-}"; do [[ -n "$pid" ]] && kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]:-}"; do [[ -n "$pid" ]] && wait "$pid" 2>/dev/null || true; done
  [[ -n "$PG_STARTED" ]] && pg_stop "$PGDATA"
  rm -f "$LOCK"
  echo "Stopped."
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Secrets generated on first run and kept with the data, so hashes and the keys survive restarts. The signing key's
# private half never leaves this folder; auditors get its public half from /api/v1/reports/signing-keys.
if ! command -v openssl >/dev/null; then
  echo "openssl not found; installing the Debian package 'openssl'..."
  sudo=""; [[ "$(id -u)" -ne 0 ]] && sudo="sudo"
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq openssl >/dev/null
fi
[[ -s "$DATA/subject-hash-key" ]] || head -c 32 /dev/urandom | base64 >"$DATA/subject-hash-key"
[[ -s "$DATA/retention-key" ]] || (umask 077 && head -c 32 /dev/urandom | base64 >"$DATA/retention-key")
[[ -s "$DATA/signing-key.pem" ]] || (umask 077 && openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$DATA/signing-key.pem")
# The OpenDSR processor's RSA key and a self-signed certificate for localhost, which controllers on this machine fetch
# from /opendsr/v1/certificate to check our signatures. OpenDSR wants a CA-issued one (§4.1): a deployment sets
# OpenDsr__PrivateKeyFile/CertificateFile to its own, and leaves OpenDsr__AllowSelfSignedCertificate off.
if [[ ! -s "$DATA/opendsr-key.pem" || ! -s "$DATA/opendsr-cert.pem" ]]; then
  (umask 077 && openssl req -x509 -newkey rsa:3072 -nodes -sha256 -days 825 -keyout "$DATA/opendsr-key.pem" -out "$DATA/opendsr-cert.pem" \
    -subj "/CN=localhost" -addext "subjectAltName=DNS:localhost" 2>/dev/null)
fi
[[ -s "$DATA/dev-api-key" ]] || echo "mp_dev_$(head -c 24 /dev/urandom | base64 | tr -d '/+=')" >"$DATA/dev-api-key"
chmod 600 "$DATA/subject-hash-key" "$DATA/retention-key" "$DATA/signing-key.pem" "$DATA/dev-api-key" "$DATA/opendsr-key.pem"

# One build for the migration runner (and with it the service) and the emulator, while the cluster is made and started:
# it needs nothing from the database.
echo "Building ($CONFIGURATION)..."
dotnet build "$ROOT/scripts/run.slnf" -c "$CONFIGURATION" -v quiet -nologo >"$DATA/build.log" 2>&1 &
BUILD=$!

ensure_postgres_binaries
PGDATA="$(run_cluster_folder "$DATA")"
if [[ "$PGDATA" != "$DATA/postgres" ]]; then
  echo "The postgres user cannot reach $DATA, so the cluster is kept in $PGDATA (the secrets stay in $DATA)."
  claim_cluster_folder "$(dirname "$PGDATA")" "$DATA"
fi
[[ -f "$PGDATA/PG_VERSION" ]] || echo "Creating the PostgreSQL cluster in $PGDATA..."
pg_create "$PGDATA"
pg_start "$PGDATA" "$PG_PORT"
PG_STARTED=1
if [[ "$("${PSQL[@]}" -d postgres -c "SELECT 1 FROM pg_database WHERE datname = 'miso_privacy'")" != "1" ]]; then
  "${PSQL[@]}" -d postgres -c "CREATE DATABASE miso_privacy" >/dev/null
fi
# Two roles: the migrations run as the cluster's owner (postgres), and the service connects as a role that may only do
# the row work the runner grants it (the audit trail: read and append). The cluster trusts 127.0.0.1: it is for
# development; a deployment gives both roles passwords (see docker-compose.yml).
pg_service_role
OWNER_CONNECTION="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=miso_privacy"
export ConnectionStrings__Privacy="Host=127.0.0.1;Port=$PG_PORT;Username=$SERVICE_ROLE;Database=miso_privacy"

DEV_KEY="$(cat "$DATA/dev-api-key")"
export Privacy__SubjectHashKey="$(cat "$DATA/subject-hash-key")"
export Privacy__RetentionKey="$(cat "$DATA/retention-key")"
export Reports__SigningKeys__0__PrivateKeyFile="$DATA/signing-key.pem"
export OpenDsr__ProcessorDomain="${OpenDsr__ProcessorDomain:-localhost}"
export OpenDsr__PrivateKeyFile="${OpenDsr__PrivateKeyFile:-$DATA/opendsr-key.pem}"
export OpenDsr__CertificateFile="${OpenDsr__CertificateFile:-$DATA/opendsr-cert.pem}"
export OpenDsr__AllowSelfSignedCertificate="${OpenDsr__AllowSelfSignedCertificate:-true}"
# Webhook receivers on this machine (a local tool, a test receiver) are reachable; a deployment leaves this off.
export Webhooks__AllowPrivateNetworks="${Webhooks__AllowPrivateNetworks:-true}"
export Auth__ApiKeys__0__Name=dev
export Auth__ApiKeys__0__KeySha256="$(printf '%s' "$DEV_KEY" | sha256sum | cut -d' ' -f1)"
i=0
for scope in erasure:write erasure:read reports:read suppression:write admin; do
  export "Auth__ApiKeys__0__Scopes__$i=$scope"
  i=$((i + 1))
done

# Real Miso environments configured (Miso__Environments__0__Name and friends)? Then no emulator.
if [[ -n "${Miso__Environments__0__Name:-}" ]]; then
  MODE="real Miso ($(env | grep -c '^Miso__Environments__[0-9]*__Name=') environment(s) from Miso__Environments__*)"
  USE_EMULATOR=""
else
  MODE="Miso emulator on http://127.0.0.1:$EMULATOR_PORT (environments production and development)"
  USE_EMULATOR=1
  EMULATOR_URL="http://127.0.0.1:$EMULATOR_PORT/"
  for i in 0 1; do
    name=$([[ $i -eq 0 ]] && echo production || echo development)
    export "Miso__Environments__${i}__Name=$name"
    export "Miso__Environments__${i}__BaseUrl=$EMULATOR_URL"
    export "Miso__Environments__${i}__SecretKey=emu-$name-secret-key"
    export "Miso__Environments__${i}__PublishableKeys__0=emu-$name-publishable-key"
  done
fi

wait "$BUILD" || { cat "$DATA/build.log" >&2; echo "The build failed; see the messages above." >&2; exit 1; }
BUILD=""
bin() { echo "$ROOT/$1/bin/$CONFIGURATION/net10.0"; }
# A person at a terminal reads one plain line per log entry; piped or redirected, the service keeps its JSON lines.
if [[ -t 1 ]]; then export Logging__Console__FormatterName="${Logging__Console__FormatterName:-simple}"; fi
# The emulator needs no database: it starts while the migrations run.
if [[ -n "$USE_EMULATOR" ]]; then
  (cd "$(bin src/Miso.Emulator)" && MISO_EMULATOR_PORT="$EMULATOR_PORT" exec dotnet Miso.Emulator.dll) &
  PIDS+=($!)
fi
# The built runner itself, as the service below: `dotnet run` would evaluate the project again just to find it.
dotnet "$(bin migrations/Miso.Privacy.Migrations)/Miso.Privacy.Migrations.dll" --connection "$OWNER_CONNECTION" --service-role "$SERVICE_ROLE"

(cd "$(bin src/Miso.Privacy)" && ASPNETCORE_URLS="http://127.0.0.1:$PORT" exec dotnet Miso.Privacy.dll) &
PIDS+=($!)

URL="http://127.0.0.1:$PORT"
for _ in $(seq 1 120); do
  curl -fsS "$URL/health/ready" >/dev/null 2>&1 && break
  kill -0 "${PIDS[-1]}" 2>/dev/null || { echo "The service exited during start; see the messages above." >&2; exit 1; }
  sleep 0.5
done
curl -fsS "$URL/health/ready" >/dev/null || { echo "The service did not become ready." >&2; exit 1; }

cat <<BANNER

Miso.Privacy is ready at $URL  (API docs: $URL/docs)
  data:          $DATA (PostgreSQL on 127.0.0.1:$PG_PORT, its cluster in $PGDATA; the service connects as $SERVICE_ROLE)
  signing key:   $DATA/signing-key.pem (private: stays here; its public half is at $URL/api/v1/reports/signing-keys)
  Miso:          $MODE
  OpenDSR:       $URL/opendsr/v1/discovery (processor domain $OpenDsr__ProcessorDomain; certificate $OpenDsr__CertificateFile)
  webhooks:      receivers on this machine allowed (Webhooks__AllowPrivateNetworks=$Webhooks__AllowPrivateNetworks)
  dev API key:   $DEV_KEY   (every scope; stored in $DATA/dev-api-key)

Try:
  curl -s -X POST $URL/api/v1/erasure-requests -H "Authorization: Bearer $DEV_KEY" \\
       -H 'Content-Type: application/json' -d '{"user_ids": ["5b09700"], "requested_by": "support:you"}'
  curl -s "$URL/api/v1/erasure-requests?status=pending" -H "Authorization: Bearer $DEV_KEY"
  curl -s $URL/api/v1/subjects/user_id/5b09700 -H "Authorization: Bearer $DEV_KEY"
  curl -s $URL/api/v1/audit/verify -H "Authorization: Bearer $DEV_KEY"
  curl -s $URL/api/v1/audit/checkpoint -H "Authorization: Bearer $DEV_KEY"
  curl -s $URL/api/v1/reports/signing-keys

Ctrl-C stops everything.
BANNER
wait -n "${PIDS[@]}"
echo "A process exited; stopping the rest." >&2
exit 1
