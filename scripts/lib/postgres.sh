# Shared by run.sh and test.sh: find (or install) PostgreSQL's server binaries, and run them as the
# postgres user when we are root, because PostgreSQL refuses to run as root.

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
