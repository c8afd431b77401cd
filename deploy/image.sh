#!/bin/sh
# Build deploy/Dockerfile with buildah and run the image with podman, daemonless and rootful,
# on a Debian machine that may reach no container registry at all.
#
#   deploy/image.sh build [TAG]         build the image (default tag localhost/nudgebot:dev)
#   deploy/image.sh run [ARGS...]       podman run --rm --network host ARGS... (one-shot)
#   deploy/image.sh podman [ARGS...]    any podman command with the same settings
#   deploy/image.sh base                only make sure the base image exists
#
# Missing tools (podman, buildah, runc, mmdebstrap) are installed with apt-get. Where the
# base image python:3.11-slim cannot be pulled, a stand-in with Debian's Python 3.11 is built
# from this machine's own apt mirror and tagged with that name, so the Dockerfile builds
# unchanged (packages then live in /usr/local/lib/python3.11/dist-packages). The base image
# and pip's downloads (the Dockerfile's cache mount) are kept between builds, so a rebuild
# only builds and installs the wheels again. No --layers: buildah 1.28 keys the cached
# install step by its text alone, not by the wheels bind-mounted from the build stage, and
# would reuse an image with the old code.
#
# What it works around, and why:
# - a container asks for nofile=1048576 and a higher nproc than root may set on some hosts
#   (no CAP_SYS_RESOURCE): the limits are capped to the host's in a containers.conf
#   (CONTAINERS_CONF), or every run fails in setrlimit;
# - crun refuses a hybrid cgroup layout: runc is the runtime;
# - a host that reaches the package index through a TLS-inspecting proxy has extra CA
#   certificates: they go into the stand-in base image, or pip inside the build cannot connect;
# - `--format docker` keeps HEALTHCHECK (the OCI format drops it); `--isolation chroot` needs
#   no runtime for RUN steps.
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
STATE=${NUDGEBOT_IMAGE_STATE:-/var/tmp/nudgebot-image}
BASE=docker.io/library/python:3.11-slim
export DEBIAN_FRONTEND=noninteractive

tools() {
    command -v podman >/dev/null && command -v buildah >/dev/null &&
        command -v runc >/dev/null && command -v mmdebstrap >/dev/null && return 0
    echo "installing podman, buildah, runc and mmdebstrap (Debian packages)" >&2
    apt-get update -q >/dev/null
    apt-get install -y -q podman buildah runc mmdebstrap >/dev/null
}

settings() {
    mkdir -p "$STATE"
    hard=$(ulimit -Hn)
    cat >"$STATE/containers.conf" <<CONF
[containers]
default_ulimits = ["nofile=$hard:$hard", "nproc=32768:32768"]
[engine]
runtime = "runc"
CONF
    export CONTAINERS_CONF="$STATE/containers.conf"
}

# Podman schedules HEALTHCHECK runs with systemd timers; without systemd (podman 4.3) it
# logs two errors at every start, whatever --health-interval says. A one-shot command needs
# no health check, so `run` leaves it out there; a long-running container started with
# `podman run -d` keeps it, and `podman healthcheck run NAME` runs it on demand.
timers() {
    [ -S /run/systemd/private ] || echo "--no-healthcheck"
}

# The apt mirror this machine uses (deb822 sources or a classic sources.list).
mirror() {
    found=$(sed -n 's/^URIs: *\([^ ]*\/debian\)$/\1/p' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -1)
    [ -n "$found" ] || found=$(sed -n 's/^deb \(\[[^]]*\] \)\{0,1\}\([^ ]*\/debian\) .*/\2/p' \
        /etc/apt/sources.list 2>/dev/null | head -1)
    echo "${found:-http://deb.debian.org/debian}"
}

base() {
    podman image exists "$BASE" && return 0
    podman pull -q "$BASE" >/dev/null 2>&1 && return 0
    echo "cannot pull $BASE: building a stand-in from $(mirror)" >&2
    debian=$(mirror)
    security=$(echo "$debian" | sed 's/\/debian$/\/debian-security/')
    mmdebstrap --quiet --variant=minbase --hook-dir=/usr/share/mmdebstrap/hooks/merged-usr \
        --include=python3,python3-venv,python3-pip,python-is-python3,ca-certificates \
        --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/man/*' \
        --dpkgopt='path-exclude=/usr/share/locale/*' \
        --customize-hook='rm -f "$1"/usr/lib/python3.11/EXTERNALLY-MANAGED' \
        --customize-hook='cp /usr/local/share/ca-certificates/*.crt "$1"/usr/local/share/ca-certificates/ 2>/dev/null || true' \
        --customize-hook='chroot "$1" update-ca-certificates >/dev/null' \
        --customize-hook='rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/*' \
        bookworm - "deb $debian bookworm main" "deb $debian bookworm-updates main" \
        "deb $security bookworm-security main" |
        podman import --change 'ENV LANG=C.UTF-8' --change 'CMD ["python3"]' - "$BASE" >/dev/null
}

build() {
    tag=${1:-localhost/nudgebot:dev}
    base
    buildah bud --quiet --isolation chroot --pull=never --format docker \
        -f "$ROOT/deploy/Dockerfile" -t "$tag" "$ROOT" >/dev/null
    podman image prune -f >/dev/null # the image that last had this tag, and nothing else
    echo "built $tag"
}

command=${1:-}
[ $# -gt 0 ] && shift
case $command in
build) tools; settings; build "$@" ;;
base) tools; settings; base ;;
run) settings; exec podman run --rm --network host $(timers) "$@" ;;
podman) settings; exec podman "$@" ;;
*) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
