#!/usr/bin/env bash
# The production install of README "Running in production", step by step, as an operator does it:
# a copy of the checkout (its git-tracked files) is installed with `npm ci && npm run build &&
# npm prune --omit=dev`, then, with NODE_ENV=production and the variables the README prescribes,
# `npm run db:migrate` (and `db:rollback`, `db:migrate` again), `npm run user:create` with the
# password piped in, `npm run risk:snapshot`, `npm run db:backup`, `npm start` and
# `npm run start:cluster`, each of the two signed in over HTTP with curl as a browser behind the TLS
# proxy on this machine (TRUST_PROXY=127.0.0.1,
# X-Forwarded-Proto: https). Nothing may rebuild on the pruned install: the dev dependencies are gone.
#
#   bash .ci/pruned-install.sh [postgresql://…]   (default: $TEST_DATABASE_URL)
#
# The URL names a server and a role that may create databases; a throw-away database is created on
# it and dropped afterwards. Every process started here and the temporary directory are removed
# on exit, whether the run passed or not. Any failing step fails the run and prints that step's log.
set -euo pipefail

SERVER_URL="${1:-${TEST_DATABASE_URL:-}}"
if [[ ! "$SERVER_URL" =~ ^postgres(ql)?:// ]]; then
  echo "pruned-install: give a PostgreSQL server URL (argument or TEST_DATABASE_URL), got '${SERVER_URL}'" >&2
  exit 2
fi

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="$(mktemp -d /tmp/inbeeld-pruned.XXXXXX)"
APP="$WORK/app"
DB_NAME="inbeeld_pruned_$(date +%s)_$$"
DB_CREATED=no
PIDS=()
STARTED_AT=$SECONDS
CURRENT_LOG=""

say() { printf 'pruned-install: %s\n' "$*"; }
fail() {
  printf '\npruned-install: FAILED: %s\n' "$*" >&2
  if [[ -n "$CURRENT_LOG" && -s "$CURRENT_LOG" ]]; then
    printf -- '--- last lines of %s ---\n' "$(basename "$CURRENT_LOG")" >&2
    tail -n 40 "$CURRENT_LOG" >&2
  fi
  exit 1
}

# Runs a command in the app copy with its output in a log of its own; fails the run when it fails.
run() {
  local name="$1"
  shift
  CURRENT_LOG="$WORK/$name.log"
  local started=$SECONDS
  if ! (cd "$APP" && "$@") >"$CURRENT_LOG" 2>&1; then
    fail "$name: '$*' exited non-zero"
  fi
  say "$name ok ($((SECONDS - started)) s)"
}

# One statement on the server's maintenance connection, through the app's own pg (a production
# dependency, so it is still there after the prune).
admin_sql() {
  (cd "$APP" && node -e '
    const { Client } = require("pg");
    const client = new Client({ connectionString: process.argv[1] });
    client.connect()
      .then(() => client.query(process.argv[2]))
      .finally(() => client.end())
      .catch((error) => { console.error(error.message); process.exit(1); });
  ' "$SERVER_URL" "$1")
}

stop_group() {
  # $1: a process group leader started with setsid below. TERM first, KILL after 15 s.
  local pid="$1" i
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM -- "-$pid" 2>/dev/null || true
  for ((i = 0; i < 150; i++)); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  kill -KILL -- "-$pid" 2>/dev/null || true
}

cleanup() {
  local status=$?
  set +e
  for pid in "${PIDS[@]}"; do [[ -n "$pid" ]] && stop_group "$pid"; done
  if [[ "$DB_CREATED" == yes ]]; then
    admin_sql "drop database if exists $DB_NAME with (force)" >/dev/null 2>&1 \
      || echo "pruned-install: warning: could not drop database $DB_NAME" >&2
  fi
  rm -rf -- "$WORK"
  if [[ $status -eq 0 ]]; then say "passed in $((SECONDS - STARTED_AT)) s"; fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
  node -e 'const s = require("node:net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });'
}

# curl plays the browser, pgrep finds the app's own process; a minimal Debian may lack both.
if ! command -v curl >/dev/null || ! command -v pgrep >/dev/null; then
  [[ $EUID -eq 0 ]] && command -v apt-get >/dev/null || fail "curl and pgrep (procps) are needed"
  say "installing Debian's curl and procps"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq curl procps >/dev/null
fi

# --- install as README step 2 says ----------------------------------------------------------------
mkdir -p "$APP"
(cd "$REPO" && git ls-files -z | tar --null -T - -cf -) | tar -xf - -C "$APP"
say "copied $(cd "$REPO" && git ls-files | wc -l) tracked files to $APP"

# npm ci would leave out the dev dependencies if NODE_ENV=production were set here.
run npm-ci env -u NODE_ENV npm ci --prefer-offline --no-audit --no-fund
run build env -u NODE_ENV npm run build
run prune env -u NODE_ENV npm prune --omit=dev --no-audit --no-fund
# (typescript itself stays: i18next lists it as an optional peer dependency.)
for dev in @types/node jest eslint ts-jest; do
  [[ ! -e "$APP/node_modules/$dev" ]] || fail "npm prune --omit=dev left the dev dependency $dev in node_modules"
done
DIST_STAMP="$(cd "$APP" && find dist -type f -newer dist/src/server.js | wc -l) $(stat -c %Y "$APP/dist/src/server.js")"

# --- configure as README step 3 says ------------------------------------------------------------
admin_sql "create database $DB_NAME" >/dev/null
DB_CREATED=yes
DATABASE_URL="$(node -e 'const u = new URL(process.argv[1]); u.pathname = "/" + process.argv[2]; console.log(u.href);' "$SERVER_URL" "$DB_NAME")"
export NODE_ENV=production
export DATABASE_URL
SESSION_SECRET="$(node -e 'console.log(require("node:crypto").randomBytes(32).toString("hex"))')"
PSEUDONYM_SECRET="$(node -e 'console.log(require("node:crypto").randomBytes(32).toString("hex"))')"
export SESSION_SECRET PSEUDONYM_SECRET
export PUBLIC_URL=https://inbeeld.example.test
export ORGANISATION_NAME="InBeeld pruned-install check"
export HOST=127.0.0.1
# curl below plays the TLS proxy on this machine: it sends X-Forwarded-Proto: https.
export TRUST_PROXY=127.0.0.1
export LOG_LEVEL=info
# The administrator below signs in with curl and the password alone: no second factor here.
export MFA_REQUIRED_ROLES=

# --- migrate, first administrator (README steps 4 and 5) ------------------------------------------
run db-migrate npm run db:migrate
MIGRATIONS="$(ls "$REPO/migrations" | grep -c '\.ts$')"
[[ "$(grep -c '^  Up ' "$WORK/db-migrate.log")" == "$MIGRATIONS" ]] || fail "db:migrate did not apply all $MIGRATIONS migrations"
run db-rollback npm run db:rollback
grep -q '^  Down ' "$WORK/db-rollback.log" || fail "db:rollback reverted nothing"
run db-migrate-again npm run db:migrate
[[ "$(grep -c '^  Up ' "$WORK/db-migrate-again.log")" == 1 ]] || fail "db:migrate after db:rollback did not apply the one migration"

EMAIL=beheer@pruned.example.test
NAME="Pruned Beheerder"
PASSWORD="kraanvogel zonnedak fietsbel 7"
run user-create sh -c 'printf "%s\n" "$0" | npm run user:create -- --email "$1" --name "$2" --role admin' \
  "$PASSWORD" "$EMAIL" "$NAME"
grep -q "Created admin $EMAIL" "$WORK/user-create.log" || fail "user:create did not say it created the account"
run risk-snapshot npm run risk:snapshot
run db-backup npm run db:backup -- --out "$WORK/backup.dump"
[[ -s "$WORK/backup.dump" ]] || fail "db:backup wrote no dump"

# --- start and sign in (README steps 6 and 7, and "Several processes") --------------------------
# $1 name, $2 port, then the npm command. Started in a process group of its own (setsid) so that
# npm and every node process under it are stopped together.
start_app() {
  local name="$1" port="$2"
  shift 2
  CURRENT_LOG="$WORK/$name.log"
  (cd "$APP" && PORT="$port" exec setsid "$@") >"$CURRENT_LOG" 2>&1 &
  APP_PID=$!
  PIDS+=("$APP_PID")
  local i
  for ((i = 0; i < 240; i++)); do
    if curl -fsS -o /dev/null --max-time 2 "http://127.0.0.1:$port/readyz" 2>/dev/null; then
      say "$name ready on port $port ($((i / 4)) s)"
      return 0
    fi
    kill -0 "$APP_PID" 2>/dev/null || fail "$name exited before /readyz answered"
    sleep 0.25
  done
  fail "$name: /readyz did not answer 200 within 60 s"
}

# As a browser does: the sign-in form's token and cookie, the post, then the start page.
sign_in() {
  local name="$1" base="$2"
  local jar="$WORK/$name.cookies" proto=(-H 'X-Forwarded-Proto: https')
  curl -fsS -c "$jar" -b "$jar" "${proto[@]}" -o "$WORK/$name-login.html" "$base/login" \
    || fail "$name: GET /login failed"
  local token
  token="$(sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' "$WORK/$name-login.html" | head -n 1)"
  [[ -n "$token" ]] || fail "$name: no CSRF token on /login"
  local answer
  answer="$(curl -sS -c "$jar" -b "$jar" "${proto[@]}" -o /dev/null -w '%{http_code} %{redirect_url}' \
    --data-urlencode "_csrf=$token" --data-urlencode "email=$EMAIL" --data-urlencode "password=$PASSWORD" \
    "$base/login")" || fail "$name: POST /login failed"
  [[ "$answer" == "303 $base/" ]] || fail "$name: sign-in answered '$answer', not 303 to /"
  # The session cookie is Secure and HttpOnly (production): the jar marks HttpOnly cookies with a
  # #HttpOnly_ prefix and Secure ones with TRUE in the fourth column.
  grep -qP '^#HttpOnly_127\.0\.0\.1\t\w+\t/\tTRUE\t\d+\tinbeeld\.sid\t' "$jar" \
    || fail "$name: no Secure, HttpOnly session cookie after sign-in"
  answer="$(curl -sS -L -c "$jar" -b "$jar" "${proto[@]}" -o "$WORK/$name-start.html" -w '%{http_code} %{url_effective}' "$base/")" \
    || fail "$name: GET / failed"
  [[ "$answer" == "200 $base/dashboard" ]] || fail "$name: the start page answered '$answer', not 200 at /dashboard"
  grep -q "$NAME" "$WORK/$name-start.html" || fail "$name: the dashboard does not show the signed-in administrator"
  say "$name: signed in as $EMAIL, /dashboard shows '$NAME'"
}

# $2: pid of a setsid'ed npm. SIGTERM goes to the app's own node process, as a process manager that
# runs `node dist/…` sends it (npm itself dies of a SIGTERM without passing it on): the app must
# stop gracefully within 20 s, and npm then exits 0 with it.
stop_app() {
  local name="$1" pid="$2" i status app
  # The oldest node of this group running the app or the cluster's primary (not npm's `sh -c`,
  # not a worker).
  app="$(pgrep -o -g "$pid" -f '^(\S*/)?node dist/(src/server|scripts/start-cluster)\.js')" || fail "$name: its node process is gone"
  kill -TERM "$app"
  for ((i = 0; i < 200; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -0 "$pid" 2>/dev/null && fail "$name did not stop within 20 s of SIGTERM"
  status=0
  wait "$pid" || status=$?
  PIDS=("${PIDS[@]/$pid/}")
  [[ $status -eq 0 ]] || fail "$name exited $status on SIGTERM, not 0"
  say "$name stopped on SIGTERM (exit 0)"
}

PORT_ONE="$(free_port)"
start_app npm-start "$PORT_ONE" npm start
sign_in npm-start "http://127.0.0.1:$PORT_ONE"
stop_app npm-start "$APP_PID"

PORT_TWO="$(free_port)"
start_app start-cluster "$PORT_TWO" npm run start:cluster -- --workers 2
for ((i = 0; i < 120; i++)); do
  grep -q 'worker 2 is serving' "$CURRENT_LOG" && grep -q 'worker 1 is serving' "$CURRENT_LOG" && break
  sleep 0.25
done
grep -q 'worker 2 is serving' "$CURRENT_LOG" && grep -q 'worker 1 is serving' "$CURRENT_LOG" \
  || fail "start:cluster: not both workers serving within 30 s"
sign_in start-cluster "http://127.0.0.1:$PORT_TWO"
stop_app start-cluster "$APP_PID"

# Nothing above rebuilt dist/: no file newer than the build, and server.js untouched.
[[ "$(cd "$APP" && find dist -type f -newer dist/src/server.js | wc -l) $(stat -c %Y "$APP/dist/src/server.js")" == "$DIST_STAMP" ]] \
  || fail "dist/ changed after the prune: something rebuilt it"
