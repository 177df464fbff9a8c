# Shared helpers for the set-up steps. Sourced, not run.
# shellcheck shell=bash

step() { printf '\033[1m==> %s\033[0m\n' "$*"; }
note() { printf '    %s\n' "$*"; }
# fail CODE MESSAGE FIX: coded error that says what to do next.
fail() {
  printf '\033[31merror %s\033[0m: %s\n  fix: %s\n' "$1" "$2" "$3" >&2
  exit 1
}
have() { command -v "$1" >/dev/null 2>&1; }
is_root() { [ "$(id -u)" = 0 ]; }

apt_install() {
  is_root || fail FL_SETUP_NOT_ROOT "installing Debian packages ($*) needs root" "run 'sudo npm run setup', or install them yourself: apt-get install $*"
  if [ -z "${_apt_updated:-}" ]; then
    apt-get update -q >/dev/null || fail FL_SETUP_APT "apt-get update failed" "check that Debian's package mirror is reachable"
    _apt_updated=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@" >/dev/null \
    || fail FL_SETUP_APT "apt-get install $* failed" "run it by hand to see apt's message"
}

engine_up() { timeout 10 docker info >/dev/null 2>&1; }

# Major version of the node on PATH, 0 when there is none.
node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

cache_dir() {
  local d="${FAULTLINE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/faultline}"
  mkdir -p "$d" && printf '%s' "$d"
}
