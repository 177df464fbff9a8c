# Step: the Python packages of the Patroni that services/postgres/Dockerfile installs.
# Downloaded on the host, not inside `docker build`: the host's pip already knows its index and any
# TLS-intercepting proxy's CA, which a build container does not (seen: CERTIFICATE_VERIFY_FAILED
# from PyPI inside the build). Binary wheels are chosen for the image's Python, not the host's.
# shellcheck shell=bash

wheels_dir() { printf '%s' services/postgres/wheels; }

ensure_patroni_wheels() {
  step "Patroni $PATRONI_VERSION wheels (PyPI, for the Postgres image)"
  local dir req stamp arch
  dir=$(wheels_dir); req=services/postgres/patroni-requirements.txt
  stamp="$dir/.complete-$(sha256sum "$req" | cut -c1-16)"
  if [ -e "$stamp" ]; then note "present"; return; fi
  grep -q "^patroni==$PATRONI_VERSION\$" "$req" \
    || fail FL_SETUP_PATRONI "PATRONI_VERSION=$PATRONI_VERSION is not the version pinned in $req" "pin the same version in both (versions.env and $req)"
  python3 -m pip --version >/dev/null 2>&1 || apt_install python3-pip
  arch=$(uname -m)
  local line
  while read -r line; do
    case "$line" in ''|'#'*) continue ;; esac
    # A binary wheel for the image's CPython first; pure-Python packages that ship only an sdist
    # are built in the image from it.
    python3 -m pip download -q --disable-pip-version-check --no-deps -d "$dir" --only-binary=:all: \
        --platform "manylinux2014_$arch" --python-version "$PATRONI_PYTHON" --implementation cp --abi "cp${PATRONI_PYTHON/./}" "$line" 2>/dev/null \
      || python3 -m pip download -q --disable-pip-version-check --no-deps -d "$dir" --no-binary=:all: "$line" \
      || fail FL_SETUP_PIP "could not download $line from PyPI" "check that 'python3 -m pip download $line' works on this machine"
  done <"$req"
  touch "$stamp"
  note "$(find "$dir" -name '*.whl' -o -name '*.tar.gz' | wc -l) files in $dir"
}
