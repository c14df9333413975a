#!/usr/bin/env bash
# Checks the files in deploy/ with the tools that will read them: `nginx -t` on the site (with a
# throw-away certificate in place of the real one) and `systemd-analyze verify` on the units,
# failing on any warning. CI runs it; Debian packages: nginx-light (or nginx), systemd, openssl.
set -euo pipefail
cd "$(dirname "$0")/.."
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

if command -v nginx >/dev/null; then
  openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj '/CN=congan.example.vn' \
    -keyout "$work/privkey.pem" -out "$work/fullchain.pem" 2>/dev/null
  mkdir -p "$work/logs"
  sed -e "s#/etc/ssl/nhipcau/#$work/#g" -e "s#/var/log/nginx/#$work/logs/#g" deploy/nginx/nhipcau.conf >"$work/site.conf"
  cat >"$work/nginx.conf" <<CONF
pid $work/nginx.pid;
error_log $work/logs/error.log;
events {}
http {
  access_log $work/logs/access.log;
  client_body_temp_path $work/body;
  proxy_temp_path $work/proxy;
  include $work/site.conf;
}
CONF
  nginx -t -q -p "$work" -c "$work/nginx.conf"
  echo "check-deploy: nginx accepts deploy/nginx/nhipcau.conf"
else
  echo "check-deploy: nginx is not installed (Debian: nginx-light)" >&2
  exit 1
fi

if command -v systemd-analyze >/dev/null; then
  out="$(systemd-analyze verify deploy/systemd/*.service deploy/systemd/*.socket deploy/systemd/*.timer 2>&1 || true)"
  if [ -n "$out" ]; then
    printf 'check-deploy: systemd-analyze verify found problems:\n%s\n' "$out" >&2
    exit 1
  fi
  echo "check-deploy: systemd accepts deploy/systemd/*"
else
  echo "check-deploy: systemd-analyze is not installed; units not checked" >&2
fi
