# Shared by run.sh, test.sh and the benchmarks: find (or install) PostgreSQL's server binaries, run them as the
# postgres user when we are root (PostgreSQL refuses to run as root), and create, start and stop clusters.

pg_bindir() {
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

ensure_postgres_binaries() {
  local bin
  bin="$(pg_bindir)"
  if [[ -z "$bin" || ! -x "$bin/initdb" ]]; then
    echo "PostgreSQL server binaries not found; installing the Debian package 'postgresql'..."
    local sudo=""
    [[ "$(id -u)" -ne 0 ]] && sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql >/dev/null
    bin="$(pg_bindir)"
    [[ -x "$bin/initdb" ]] || { echo "Installing PostgreSQL failed: no initdb under /usr/lib/postgresql." >&2; return 1; }
  fi
  PG_BIN="$bin"
  export PG_BIN
}

as_postgres() {
  if [[ "$(id -u)" -eq 0 ]]; then
    # From /: a working folder the postgres user cannot enter (a clone in /root) would draw a warning from every tool.
    (cd / && runuser -u postgres -- "$@")
  else
    "$@"
  fi
}

# Creates the folder for the cluster and makes sure the user PostgreSQL runs as can use it.
prepare_pg_folder() {
  local folder="$1"
  mkdir -p "$folder"
  if [[ "$(id -u)" -eq 0 ]]; then
    id postgres >/dev/null 2>&1 || { echo "The 'postgres' user is missing; reinstall the postgresql package." >&2; return 1; }
    chown postgres:postgres "$folder"
    chmod 700 "$folder"
  fi
  if ! as_postgres test -w "$folder" -a -x "$folder"; then
    cat >&2 <<MSG
PostgreSQL runs as the 'postgres' user, and that user cannot reach $folder
(a parent folder is private to its owner, as /root is). Put it somewhere that user can reach.
MSG
    return 1
  fi
}

# Where run.sh keeps the cluster of a data folder: in it (<data>/postgres), unless we are root and the postgres user
# cannot reach the data folder, as with a clone in root's private home on a fresh machine. Then the cluster gets a
# folder of its own under /var/lib/miso-privacy, one per data folder, named from the end of its path and a hash of
# all of it (two checkouts never share a cluster, and the path stays short enough for PostgreSQL's socket).
run_cluster_folder() { # absolute data folder
  local data="$1" name
  if [[ "$(id -u)" -ne 0 ]] || as_postgres test -x "$data"; then
    echo "$data/postgres"
    return
  fi
  if [[ -f "$data/postgres/PG_VERSION" ]]; then
    echo "The cluster in $data/postgres is out of the postgres user's reach now (a parent folder was made private)." >&2
    return 1
  fi
  name="$(printf '%s' "$data" | tr -c 'A-Za-z0-9._-' '-' | tail -c 40 | sed 's/^[-.]*//')"
  echo "/var/lib/miso-privacy/$name-$(printf '%s' "$data" | sha256sum | cut -c1-8)/postgres"
}

# A cluster kept outside its data folder outlives it: a clone removed and made again at the same path would meet
# the old cluster with new secrets, and every stored hash would silently stop matching. So the folder remembers the
# data folder and a digest of its subject hash key, and refuses any other.
claim_cluster_folder() { # cluster folder's parent, data folder
  local folder="$1" data="$2" owner
  owner="$(printf '%s\n' "data=$data" "subject-hash-key-sha256=$(sha256sum <"$data/subject-hash-key" | cut -d' ' -f1)")"
  mkdir -p "$folder"
  chmod 755 "$folder"
  if [[ -f "$folder/owner" && "$(cat "$folder/owner")" != "$owner" ]]; then
    cat >&2 <<MSG
$folder holds a cluster made for other secrets than those in $data
(was the checkout removed and made again?). Put the old secrets back, or remove $folder to start afresh.
MSG
    return 1
  fi
  printf '%s\n' "$owner" >"$folder/owner"
}

# The service's own database role, made once per cluster: the migration runner grants it only the row work of
# ServiceGrants, and the service connects as it, in the run script and the benchmarks as in any deployment.
SERVICE_ROLE=miso_privacy_service
pg_service_role() {
  if [[ "$("${PSQL[@]}" -d postgres -c "SELECT 1 FROM pg_roles WHERE rolname = '$SERVICE_ROLE'")" != "1" ]]; then
    "${PSQL[@]}" -d postgres -c "CREATE ROLE $SERVICE_ROLE LOGIN" >/dev/null
  fi
}

# A fresh EC P-256 private key (PEM) on stdout, for a benchmark's throwaway service to sign with.
throwaway_signing_key() {
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 2>/dev/null
}

port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Creates a cluster in the folder unless one is there; further arguments go to initdb.
pg_create() {
  local folder="$1"; shift
  prepare_pg_folder "$folder" || return 1
  [[ -f "$folder/PG_VERSION" ]] && return 0
  as_postgres "$PG_BIN/initdb" -D "$folder" -U postgres --auth=trust -E UTF8 --locale=C "$@" >/dev/null
}

# Starts the cluster in the folder on 127.0.0.1:port only, its socket and log (server.log) in the folder; further
# arguments are server settings (-c name=value). Sets PSQL, a psql command line for it as the postgres superuser.
pg_start() {
  local folder="$1" port="$2"; shift 2
  as_postgres "$PG_BIN/pg_ctl" -D "$folder" -l "$folder/server.log" -w -t 60 \
    -o "-p $port -k $folder -c listen_addresses=127.0.0.1 $*" start >/dev/null || return 1
  PSQL=(psql -h 127.0.0.1 -p "$port" -U postgres -v ON_ERROR_STOP=1 -qtA)
}

pg_stop() { # folder [mode: fast, the default, or immediate]
  as_postgres "$PG_BIN/pg_ctl" -D "$1" -m "${2:-fast}" -w stop >/dev/null 2>&1 || true
}

# A throwaway cluster for the benchmarks, on a free port, in a new folder /tmp/miso-<name>-XXXXXX (PG_WORK, which
# the caller may use for its other files too). Sets PG_WORK, PGDATA, PG_PORT and PSQL; further arguments are server
# settings. pg_throwaway_stop stops it and removes PG_WORK.
pg_throwaway_start() { # name [-c name=value ...]
  local name="$1"; shift
  ensure_postgres_binaries || return 1
  PG_WORK="$(mktemp -d "/tmp/miso-$name-XXXXXX")" || return 1
  chmod 755 "$PG_WORK"  # mktemp makes it private to us; the postgres user must reach the cluster inside
  PGDATA="$PG_WORK/pg"
  PG_PORT="$(free_port)"
  pg_create "$PGDATA" --no-sync || return 1
  pg_start "$PGDATA" "$PG_PORT" "$@"
}

pg_throwaway_stop() {
  [[ -n "${PG_WORK:-}" ]] || return 0
  pg_stop "$PGDATA" immediate
  rm -rf "$PG_WORK"
  PG_WORK=""
}
