# Step: Docker Compose v2, built from its Go module when `docker compose` is missing.
# shellcheck shell=bash

ensure_compose() {
  step "Docker Compose"
  if docker compose version >/dev/null 2>&1; then note "$(docker compose version)"; return; fi
  have go || fail FL_SETUP_NO_GO "Docker Compose is missing and Go (>= 1.24) is needed to build it" "install Go, or install Docker's compose plugin yourself"
  local out; out="$(cache_dir)/docker-compose-$COMPOSE_VERSION"
  if [ ! -x "$out" ]; then
    note "building github.com/docker/compose/v2@$COMPOSE_VERSION (a few minutes, once)"
    # go.mod carries replace/exclude directives, so `go install mod@v` refuses it: build in the module dir.
    local dir
    dir=$(go mod download -json "github.com/docker/compose/v2@$COMPOSE_VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
    [ -d "$dir" ] || fail FL_SETUP_GO "could not download the Compose module" "check that the Go module proxy is reachable (go env GOPROXY)"
    (cd "$dir" && CGO_ENABLED=0 go build -trimpath \
      -ldflags "-s -w -X github.com/docker/compose/v2/internal.Version=$COMPOSE_VERSION" -o "$out.tmp" ./cmd) \
      || fail FL_SETUP_GO "building Compose failed" "rerun with the output above; the pinned version is in services/setup/versions.env"
    mv "$out.tmp" "$out"
  fi
  local plugins=/usr/local/lib/docker/cli-plugins
  is_root || plugins="$HOME/.docker/cli-plugins"
  mkdir -p "$plugins" && install -m 0755 "$out" "$plugins/docker-compose"
  docker compose version >/dev/null 2>&1 || fail FL_SETUP_COMPOSE "docker compose still does not answer" "check $plugins/docker-compose"
  note "$(docker compose version)"
}
