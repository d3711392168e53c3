#!/usr/bin/env bash
# Checks the deployment examples in deploy/ with the tools that will run them:
#   deploy/inbeeld.service     systemd-analyze verify, and security (its exposure score)
#   deploy/nginx/inbeeld.conf  nginx -t
#   deploy/Caddyfile           caddy validate
# Each file is checked as written; only what cannot exist on a CI machine is replaced in a
# temporary copy (the example's certificate paths, /usr/bin/node where node lives elsewhere).
# Any warning (nginx's [warn], caddy's "warn" lines, any systemd-analyze output) fails the check. Needs systemd-analyze (systemd), nginx and caddy; .ci/run installs
# nginx and caddy from Debian's packages when missing. Nothing is started and no port is opened.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

work="$(mktemp -d /tmp/inbeeld-deploy-check.XXXXXX)"
trap 'rm -rf -- "$work"' EXIT
failed=0
fail() { printf 'FAIL %s\n' "$*" >&2; failed=1; }

# --- systemd unit -------------------------------------------------------------------------------
# systemd-analyze verify checks keys, values and that ExecStart's program exists. It exits 0 on
# unknown keys or bad values (only a warning), so its output must be empty too. The copy must be
# called *.service; /usr/bin/node is swapped for this machine's node when that is elsewhere.
mkdir -p "$work/systemd"
node_path="$(command -v node)"
sed "s#/usr/bin/node #${node_path} #" deploy/inbeeld.service >"$work/systemd/inbeeld.service"
if out="$(cd "$work" && systemd-analyze verify "$work/systemd/inbeeld.service" 2>&1)" && [[ -z "$out" ]]; then
  echo "ok   deploy/inbeeld.service (systemd-analyze verify)"
else
  fail "deploy/inbeeld.service (systemd-analyze verify):"$'\n'"$out"
fi

# The hardening is kept: systemd's own exposure score for the unit (0 best, 10 worst; 1.5 when
# written) must stay at or below 2.
if out="$(cd "$work/systemd" && systemd-analyze security --offline=true --threshold=20 inbeeld.service 2>&1)"; then
  echo "ok   deploy/inbeeld.service (systemd-analyze security: $(grep -o 'exposure level.*' <<<"$out" | sed 's/exposure level for inbeeld.service: //'))"
else
  fail "deploy/inbeeld.service (systemd-analyze security --threshold=20, i.e. 2.0):"$'\n'"$(tail -n 5 <<<"$out")"
fi

# --- nginx site -----------------------------------------------------------------------------------
# The site file is what goes into Debian's sites-enabled, so it is included in the http block of a
# minimal nginx.conf. nginx -t loads the certificates, hence a throw-away self-signed pair.
mkdir -p "$work/nginx"
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=inbeeld.example.org \
  -keyout "$work/nginx/key.pem" -out "$work/nginx/cert.pem" 2>/dev/null
sed -e "s#/etc/letsencrypt/live/inbeeld.example.org/fullchain.pem#$work/nginx/cert.pem#" \
    -e "s#/etc/letsencrypt/live/inbeeld.example.org/privkey.pem#$work/nginx/key.pem#" \
    deploy/nginx/inbeeld.conf >"$work/nginx/inbeeld.conf"
cat >"$work/nginx/nginx.conf" <<CONF
pid $work/nginx/nginx.pid;
error_log stderr;
events {}
http {
    access_log off;
    client_body_temp_path $work/nginx/body;
    proxy_temp_path $work/nginx/proxy;
    fastcgi_temp_path $work/nginx/fastcgi;
    uwsgi_temp_path $work/nginx/uwsgi;
    scgi_temp_path $work/nginx/scgi;
    include $work/nginx/inbeeld.conf;
}
CONF
if ! command -v nginx >/dev/null; then
  fail "deploy/nginx/inbeeld.conf: nginx is not installed (apt-get install nginx)"
elif out="$(nginx -t -e stderr -p "$work/nginx" -c "$work/nginx/nginx.conf" 2>&1)" &&
  ! grep -v -e 'syntax is ok$' -e 'test is successful$' <<<"$out" | grep -q .; then
  echo "ok   deploy/nginx/inbeeld.conf (nginx -t, $(nginx -v 2>&1 | sed 's#.*/##'))"
else
  fail "deploy/nginx/inbeeld.conf (nginx -t):"$'\n'"$out"
fi

# --- Caddyfile ------------------------------------------------------------------------------------
# caddy validate adapts the Caddyfile and provisions every module without starting a server or
# asking for a certificate. HOME and XDG_* point into the temporary directory, so nothing is left
# in root's home. caddy fmt must also leave the file as it is.
if ! command -v caddy >/dev/null; then
  fail "deploy/Caddyfile: caddy is not installed (apt-get install caddy)"
elif out="$(HOME="$work" XDG_CONFIG_HOME="$work/config" XDG_DATA_HOME="$work/data" \
              caddy validate --config deploy/Caddyfile --adapter caddyfile 2>&1)" &&
  ! grep -q '"level":"\(warn\|error\)"' <<<"$out"; then
  if caddy fmt deploy/Caddyfile | cmp -s - deploy/Caddyfile; then
    echo "ok   deploy/Caddyfile (caddy validate, $(caddy version | cut -d' ' -f1))"
  else
    fail "deploy/Caddyfile is not formatted as caddy fmt would (caddy fmt --overwrite deploy/Caddyfile)"
  fi
else
  fail "deploy/Caddyfile (caddy validate):"$'\n'"$out"
fi

exit "$failed"
