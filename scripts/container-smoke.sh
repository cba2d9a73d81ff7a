#!/usr/bin/env bash
# Build kzqa's image with podman, run it, wait until it is healthy, ask it one question over HTTP, check
# that it runs as a non-root user, then stop and remove it. Exits non-zero on any failure.
#   --if-available   exit 0 (and say it was skipped) when podman is missing and cannot be installed
# Environment: KZQA_IMAGE (default localhost/kzqa:smoke), KZQA_HEALTH_TIMEOUT (seconds, default 180).
set -euo pipefail
cd "$(dirname "$0")/.."
IMAGE=${KZQA_IMAGE:-localhost/kzqa:smoke}
HEALTH_TIMEOUT=${KZQA_HEALTH_TIMEOUT:-180}
QUESTION="Until what year is Tokayev set to remain in office?"
NAME=kzqa-smoke-$$
LOGDIR=test-artifacts
say() { echo "container-smoke: $*"; }
die() { echo "container-smoke: FAILED: $*" >&2; exit 1; }

if_available=0
for arg in "$@"; do
  case $arg in
    --if-available) if_available=1 ;;
    *) die "unknown argument '$arg' (usage: $0 [--if-available])" ;;
  esac
done

# Tools, podman settings and the local base image; exit code 3 means podman is missing and cannot be installed.
rc=0
base=$(bash scripts/container-base.sh) || rc=$?
if [ "$rc" = 3 ]; then
  [ "$if_available" = 1 ] || die "podman is not available here and cannot be installed (--if-available skips then)"
  say "skipped: podman is not available here and cannot be installed"
  exit 0
fi
[ "$rc" = 0 ] || die "could not prepare podman and the base image (scripts/container-base.sh exit code $rc)"

mkdir -p "$LOGDIR"
buildlog=$LOGDIR/container-build.log
build=(podman build --format docker --network host --build-arg "BASE_IMAGE=$base" --tag "$IMAGE")
# Behind a TLS-intercepting proxy pip in the build needs the host's CA bundle: a build secret, not in the image.
ca=${PIP_CERT:-/etc/ssl/certs/ca-certificates.crt}
if [ -s "$ca" ]; then build+=(--secret "id=pip_ca,src=$ca"); fi
say "building $IMAGE on $base (log: $buildlog)"
start=$SECONDS
"${build[@]}" . >"$buildlog" 2>&1 || { tail -n 30 "$buildlog" >&2; die "podman build failed (log: $buildlog)"; }
say "built in $((SECONDS - start)) s; steps: $(grep -c '^STEP ' "$buildlog"), from cache: $(grep -c 'Using cache' "$buildlog")"

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cleanup() {
  local status=$?
  if [ "$status" != 0 ] && podman container exists "$NAME" 2>/dev/null; then
    echo "--- last lines of the container's log:" >&2
    podman logs --tail 30 "$NAME" >&2 2>&1 || true
  fi
  podman rm --force --time 5 "$NAME" >/dev/null 2>&1 || true
  exit "$status"
}
trap cleanup EXIT
# Without systemd podman logs two errors about healthcheck timers on every run: keep them out of sight
# unless the run fails.
podman run --detach --name "$NAME" --publish "127.0.0.1:$port:8000" "$IMAGE" >/dev/null 2>"$LOGDIR/container-run.err" \
  || { cat "$LOGDIR/container-run.err" >&2; die "podman run failed"; }
say "started container $NAME on 127.0.0.1:$port"

# Podman runs the image's HEALTHCHECK only when asked (there is no systemd timer here): ask until it passes.
start=$SECONDS
until podman healthcheck run "$NAME" >/dev/null 2>&1; do
  [ "$(podman inspect --format '{{.State.Running}}' "$NAME")" = true ] || die "the container stopped while starting"
  [ $((SECONDS - start)) -lt "$HEALTH_TIMEOUT" ] || die "not healthy after ${HEALTH_TIMEOUT} s"
  sleep 2
done
say "healthy after $((SECONDS - start)) s: $(podman inspect --format '{{.State.Health.Status}}' "$NAME")"

# Both HTTP checks from the host, through the published port.
python3 - "$port" "$QUESTION" <<'EOF' || die "the HTTP checks failed"
import json
import sys
import urllib.request

port, question = sys.argv[1], sys.argv[2]
base = f"http://127.0.0.1:{port}"
with urllib.request.urlopen(f"{base}/healthz", timeout=10) as r:
    print("container-smoke: GET /healthz ->", r.status, r.read().decode())
body = json.dumps({"messages": [{"role": "user", "content": question}]}).encode()
req = urllib.request.Request(f"{base}/api/chat", data=body, headers={"Content-Type": "application/json"})
with urllib.request.urlopen(req, timeout=60) as r:
    reply = json.load(r)
print("container-smoke: Q:", question)
print("container-smoke: A:", reply.get("answer"))
for c in reply.get("citations") or []:
    print(f"container-smoke:   [{c['n']}] {c['title']} ({c['outlet']})")
problems = [p for ok, p in [(reply.get("answered") is True, "answered is not true"),
                            (bool(reply.get("citations")), "no citations"),
                            (bool((reply.get("answer") or "").strip()), "empty answer")] if not ok]
if problems:
    sys.exit("container-smoke: bad reply: " + ", ".join(problems) + "\n" + json.dumps(reply, indent=1)[:2000])
with urllib.request.urlopen(f"{base}/metrics", timeout=10) as r:
    chats = [line for line in r.read().decode().splitlines()
             if line.startswith('kzqa_requests_total{method="POST",route="/api/chat",status="200"}')]
if not chats:
    sys.exit("container-smoke: /metrics does not count the chat request")
print("container-smoke: GET /metrics ->", chats[0])
EOF

# The image's default user (what `podman exec` gets) and the real user of the server process (PID 1).
uid=$(podman exec "$NAME" id -u) || die "podman exec failed"
server_uid=$(podman exec "$NAME" cat /proc/1/status | awk '/^Uid:/ {print $2}')
[ "$uid" != 0 ] && [ -n "$server_uid" ] && [ "$server_uid" != 0 ] \
  || die "runs as root (exec uid '$uid', server uid '$server_uid')"
say "runs as uid $uid (server process: uid $server_uid)"
say "image size: $(podman image inspect --format '{{.Size}}' "$IMAGE" | awk '{printf "%.0f MB", $1 / 1e6}')"
say "passed"
