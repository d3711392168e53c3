#!/usr/bin/env bash
# Make sure a real PostgreSQL server is reachable for the test suite.
#
# Contract (used by .ci/run):
#   * stdout: exactly one line, the last one: a connection URL usable as
#     TEST_DATABASE_URL, i.e. a database whose connecting role may CREATE DATABASE.
#   * stderr: everything else (progress, apt-get output, server logs on failure).
#   * If a throw-away cluster had to be created, its data directory is written to
#     .ci/.throwaway-pg; whoever calls us (.ci/run) must stop it and remove the
#     directory, because this script exits while the server keeps running.
#
# Strategy, cheapest first:
#   a. a server already on 127.0.0.1:5432 that lets `postgres` in without a password;
#   b. an installed-but-stopped Debian cluster (pg_lsclusters): start it, re-check (a);
#   c. no server binaries at all: apt-get install postgresql (the only network access);
#   d. otherwise initdb a throw-away trust-auth cluster on 127.0.0.1:55432.
#
# Overrides (mainly for testing this script):
#   CI_PG_PORT_CHECK      port probed in (a)/(b)      (default 5432)
#   CI_PG_THROWAWAY_PORT  port of the cluster in (d)  (default 55432)
set -euo pipefail

CHECK_HOST=127.0.0.1
CHECK_PORT="${CI_PG_PORT_CHECK:-5432}"
THROWAWAY_PORT="${CI_PG_THROWAWAY_PORT:-55432}"
STATE_FILE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/.throwaway-pg"

# Never wait on a prompt or a dead host: no password prompts (-w below), short
# connect timeouts, and ignore any ~/.psqlrc (-X).
export PGCONNECT_TIMEOUT=5

log() { printf 'ensure-postgres: %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# Newest installed server bin dir (/usr/lib/postgresql/<ver>/bin), or empty.
server_bindir() {
  local initdb
  initdb="$(compgen -G "/usr/lib/postgresql/*/bin/initdb" | sort -V | tail -n 1 || true)"
  [[ -n "$initdb" ]] && dirname "$initdb"
  return 0
}

# A client tool from PATH, else from the server bin dir (apt's postgresql
# package ships psql/pg_isready there too). Empty if not found at all.
pg_tool() {
  local bindir
  if command -v "$1" >/dev/null 2>&1; then command -v "$1"; return 0; fi
  bindir="$(server_bindir)"
  [[ -n "$bindir" && -x "$bindir/$1" ]] && echo "$bindir/$1"
  return 0
}

# True if $1 (a URL) accepts connections and its role may create databases
# (the suite creates scratch databases, so SELECT 1 alone is not enough).
url_usable() {
  local psql ok
  psql="$(pg_tool psql)"
  [[ -n "$psql" ]] || { log "psql not available; cannot verify $1"; return 1; }
  ok="$("$psql" -X -w -q -At "$1" \
          -c 'select rolcreatedb or rolsuper from pg_roles where rolname = current_user' \
          </dev/null 2>&1)" || { log "cannot use $1: ${ok//$'\n'/ }"; return 1; }
  [[ "$ok" == t ]] || { log "role in $1 may not CREATE DATABASE"; return 1; }
}

# (a) Is there a usable server on the well-known port?
try_existing() {
  local isready url="postgresql://postgres@${CHECK_HOST}:${CHECK_PORT}/test"
  isready="$(pg_tool pg_isready)"
  [[ -n "$isready" ]] || { log "pg_isready not installed"; return 1; }
  if ! "$isready" -q -t 3 -h "$CHECK_HOST" -p "$CHECK_PORT" </dev/null; then
    log "nothing accepting connections on ${CHECK_HOST}:${CHECK_PORT}"
    return 1
  fi
  url_usable "$url" || return 1
  log "using existing server on ${CHECK_HOST}:${CHECK_PORT}"
  URL="$url"
}

# (b) Start installed Debian clusters that are down, then re-check (a).
# Clusters that are already online are left strictly alone.
try_start_clusters() {
  command -v pg_lsclusters >/dev/null 2>&1 || { log "pg_lsclusters not installed"; return 1; }
  local ver name _port status _rest started=0 i isready
  # -h: no header. Columns: Ver Cluster Port Status Owner Datadir Logfile
  while read -r ver name _port status _rest; do
    [[ -n "${ver:-}" ]] || continue
    if [[ "$status" == down ]]; then
      log "starting installed cluster $ver/$name"
      if pg_ctlcluster --skip-systemctl-redirect "$ver" "$name" start </dev/null >&2; then
        started=1
      else
        log "could not start cluster $ver/$name"
      fi
    fi
  done < <(pg_lsclusters -h 2>/dev/null || true)
  [[ $started == 1 ]] || { log "no stopped cluster to start"; return 1; }
  # The server may need a moment before it accepts connections; wait for that
  # quietly, then check once (a password-protected server won't improve).
  isready="$(pg_tool pg_isready)"
  for i in $(seq 1 30); do
    [[ -n "$isready" ]] && "$isready" -q -t 2 -h "$CHECK_HOST" -p "$CHECK_PORT" </dev/null && break
    sleep 1
  done
  try_existing
}

# (c) Install server binaries, but only when there are none.
# (Called from an `if`, where set -e is off: every failure is handled explicitly.)
install_postgres() {
  [[ -z "$(server_bindir)" ]] || return 1
  command -v apt-get >/dev/null 2>&1 || die "no PostgreSQL binaries and no apt-get to install them"
  log "no PostgreSQL server binaries found; installing with apt-get"
  apt-get update </dev/null >&2 || die "apt-get update failed"
  DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql </dev/null >&2 \
    || die "apt-get install postgresql failed"
  [[ -n "$(server_bindir)" ]] || die "apt-get install postgresql did not provide initdb"
}

# (d) Private trust-auth cluster in a temp dir, on its own port so it can never
# collide with (or disturb) a machine-wide server on 5432.
start_throwaway() {
  local bindir dir locale i
  bindir="$(server_bindir)"
  [[ -n "$bindir" ]] || die "no PostgreSQL server binaries (/usr/lib/postgresql/*/bin/initdb)"

  if "$bindir/pg_isready" -q -t 2 -h 127.0.0.1 -p "$THROWAWAY_PORT" </dev/null; then
    die "something already listens on 127.0.0.1:$THROWAWAY_PORT (stale throw-away cluster? see $STATE_FILE)"
  fi

  # initdb/postgres refuse to run as root, so the cluster belongs to the
  # `postgres` OS user (created by Debian's postgresql-common; make it if a
  # non-Debian install left it out).
  if ! id -u postgres >/dev/null 2>&1; then
    log "creating system user postgres"
    useradd --system --user-group --no-create-home --shell /usr/sbin/nologin postgres
  fi

  # Explicitly under /tmp (not $TMPDIR): postgres must be able to traverse the
  # parent, and the unix socket path must stay short (< 108 bytes).
  dir="$(mktemp -d /tmp/inbeeld-ci-pg.XXXXXX)"
  chown postgres:postgres "$dir"
  chmod 700 "$dir"
  # Record it before anything can fail, so the caller's cleanup always finds it.
  printf '%s\n' "$dir" >"$STATE_FILE"
  log "creating throw-away cluster in $dir (${bindir%/bin})"

  # Same collation as the usual Debian server if the locale exists; C otherwise.
  locale=C
  if locale -a 2>/dev/null | grep -qix 'c\.utf-\?8'; then locale=C.UTF-8; fi

  # cd: runuser keeps the cwd, which postgres may not be allowed to read.
  (cd "$dir" && runuser -u postgres -- "$bindir/initdb" -D "$dir" \
      --auth=trust -U postgres --encoding=UTF8 --locale="$locale" </dev/null >&2) \
    || die "initdb failed"

  # fsync & co. off: the data is disposable and this makes the suite faster.
  # -l sends the server's own stdout/stderr to a file, so the background
  # postmaster does not hold on to our caller's pipes.
  if ! (cd "$dir" && runuser -u postgres -- "$bindir/pg_ctl" -D "$dir" -l "$dir/server.log" \
        -w -t 60 \
        -o "-p $THROWAWAY_PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories=$dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
        start </dev/null >&2); then
    log "pg_ctl start failed; server log follows"
    cat "$dir/server.log" >&2 2>/dev/null || true
    exit 1
  fi

  for i in $(seq 1 30); do
    "$bindir/pg_isready" -q -t 2 -h 127.0.0.1 -p "$THROWAWAY_PORT" </dev/null && break
    [[ $i == 30 ]] && { cat "$dir/server.log" >&2 || true; die "throw-away cluster never became ready"; }
    sleep 1
  done

  URL="postgresql://postgres@127.0.0.1:${THROWAWAY_PORT}/postgres"
  url_usable "$URL" || die "throw-away cluster is up but not usable"
  log "throw-away cluster ready on 127.0.0.1:$THROWAWAY_PORT"
}

main() {
  try_existing && return 0
  try_start_clusters && return 0
  if install_postgres; then
    # The package's postinst may have created and started a cluster already.
    try_existing && return 0
    try_start_clusters && return 0
  fi
  start_throwaway
}

URL=""
# Everything main() prints goes to stderr; stdout carries only the URL. (Using
# a redirect on the call rather than `exec 3>&1` matters: a background
# postmaster must not inherit a copy of our stdout, or `$(...)` around this
# script would never see EOF.)
main >&2
[[ -n "$URL" ]] || die "no PostgreSQL server available"
printf '%s\n' "$URL"
