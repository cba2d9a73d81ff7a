#!/usr/bin/env bash
# Make this machine able to build kzqa's Dockerfile with podman, and make the local base image:
#   - installs podman, buildah, runc and debootstrap with apt when missing (needs root);
#   - writes the podman settings this machine needs (/etc/containers/containers.conf.d/kzqa.conf);
#   - no image registry is reachable here, so the base is Debian bookworm (python3.11) from debootstrap,
#     imported as $KZQA_BASE_IMAGE (default localhost/kzqa-base:bookworm).
# Safe to run again: each step is skipped when already done. Prints the base image's name on stdout.
set -euo pipefail
BASE_IMAGE=${KZQA_BASE_IMAGE:-localhost/kzqa-base:bookworm}
MIRROR=${KZQA_DEBIAN_MIRROR:-http://deb.debian.org/debian}
CONF=/etc/containers/containers.conf.d/kzqa.conf
log() { echo "container-base: $*" >&2; }
die() { log "error: $*"; exit 1; }

# An executable on PATH or in /usr/sbin (debootstrap is there, and a non-login root shell may lack it on PATH).
have() { local path; path=$(PATH=$PATH:/usr/sbin command -v "$1") && [ -x "$path" ]; }
missing=()
for tool in podman buildah runc debootstrap; do
  have "$tool" || missing+=("$tool")
done
# Exit code 3: the tools are missing and cannot be installed here (scripts/container-smoke.sh may skip then).
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ] || ! have apt-get; then
    log "missing ${missing[*]}, and installing needs root and apt-get: install ${missing[*]} first"
    exit 3
  fi
  log "installing ${missing[*]} with apt-get"
  aptlog=$(mktemp)
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"; } >"$aptlog" 2>&1 \
    || { tail -n 20 "$aptlog" >&2; log "apt-get could not install ${missing[*]}"; exit 3; }
  rm -f "$aptlog"
fi
export PATH=$PATH:/usr/sbin

# Podman's defaults fail in this VM: crun refuses its hybrid cgroups, there is no systemd for the systemd
# cgroup manager, and it asks for open-files and process limits above the VM's hard limits (podman itself
# lowers its own process limit to 32768). A drop-in leaves containers.conf alone; rewritten when limits differ.
at_most() { if [ "$1" = unlimited ] || [ "$1" -gt "$2" ]; then echo "$2"; else echo "$1"; fi; }
nofile=$(at_most "$(ulimit -Hn)" 65536)
nproc=$(at_most "$(ulimit -Hu)" 32768)
conf="# Written by kzqa's scripts/container-base.sh: what podman needs on a machine without systemd.
[containers]
default_ulimits = [\"nofile=$nofile:$nofile\", \"nproc=$nproc:$nproc\"]

[engine]
runtime = \"runc\"
cgroup_manager = \"cgroupfs\""
if [ "$(cat "$CONF" 2>/dev/null)" != "$conf" ]; then
  [ "$(id -u)" = 0 ] || die "cannot write $CONF: run once as root"
  mkdir -p "$(dirname "$CONF")"
  printf '%s\n' "$conf" >"$CONF"
  log "wrote $CONF"
fi

if podman image exists "$BASE_IMAGE"; then
  echo "$BASE_IMAGE"
  exit 0
fi
[ "$(id -u)" = 0 ] || die "debootstrap needs root to make $BASE_IMAGE"
rootfs=$(mktemp -d /var/tmp/kzqa-base.XXXXXX)
trap 'rm -rf "$rootfs"' EXIT
log "making $BASE_IMAGE: debootstrap of Debian bookworm from $MIRROR (a minute or two)"
debootstrap --variant=minbase --include=python3,python3-venv,ca-certificates \
  bookworm "$rootfs" "$MIRROR" >"$rootfs.log" 2>&1 \
  || { tail -n 20 "$rootfs.log" >&2; die "debootstrap failed (full log: $rootfs.log)"; }
rm -f "$rootfs.log"
# Leave apt's lists and caches out of the base: they only make it bigger.
rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin "$rootfs"/var/cache/apt/archives/*.deb
# An imported file system has no image settings: give it the PATH and locale that Debian's images have.
tar -C "$rootfs" -c . | podman import --quiet \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'ENV LANG=C.UTF-8' --change 'CMD ["/bin/bash"]' - "$BASE_IMAGE" >/dev/null
log "made $BASE_IMAGE"
echo "$BASE_IMAGE"
