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
    runuser -u postgres -- "$@"
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
(a parent folder is private to its owner, as /root is). Put the data somewhere it can reach, e.g.
  MISO_PRIVACY_DATA=/var/lib/miso-privacy scripts/run.sh
MSG
    return 1
  fi
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
