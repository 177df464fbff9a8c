# Step: the base images that docker-compose.yml and services/*/Dockerfile name.
# Pulled where a registry answers; otherwise seeded under the very same tags from upstream sources.
# shellcheck shell=bash

have_image() { docker image inspect "$1" >/dev/null 2>&1; }

seed_debian() {
  local tag=$1 tar; tar="$(cache_dir)/debian-$DEBIAN_SUITE.tar"
  have mmdebstrap || apt_install mmdebstrap
  if [ ! -s "$tar" ]; then
    note "mmdebstrap $DEBIAN_SUITE (minbase)"
    mmdebstrap --quiet --variant=minbase --format=tar \
      --customize-hook='printf "#!/bin/sh\nexit 101\n" > "$1"/usr/sbin/policy-rc.d && chmod 755 "$1"/usr/sbin/policy-rc.d && rm -rf "$1"/var/cache/apt/archives/*.deb "$1"/var/lib/apt/lists/* "$1"/usr/share/doc/* "$1"/usr/share/man/*' \
      "$DEBIAN_SUITE" "$tar.tmp" \
      "deb $DEBIAN_MIRROR $DEBIAN_SUITE main" "deb $DEBIAN_MIRROR $DEBIAN_SUITE-updates main" \
      "deb $DEBIAN_SECURITY_MIRROR $DEBIAN_SUITE-security main" \
      || fail FL_SETUP_SEED "mmdebstrap failed" "check that $DEBIAN_MIRROR is reachable"
    mv "$tar.tmp" "$tar"
  fi
  docker import --change 'CMD ["bash"]' "$tar" "$tag" >/dev/null
}

seed_node() {
  local tag=$1 ctx; ctx=$(mktemp -d)
  fetch_node
  cp "$(node_dir)/bin/node" "$ctx/node"
  (cd "$ctx" && npm pack --silent "npm@$NPM_VERSION" >/dev/null && mkdir npm && tar -xzf npm-*.tgz -C npm --strip-components=1 && rm npm-*.tgz) \
    || fail FL_SETUP_SEED "could not fetch npm@$NPM_VERSION" "check npm's registry access (npm ping)"
  # Same layout as the upstream image: /usr/local/bin/node, npm under /usr/local/lib/node_modules.
  cat >"$ctx/Dockerfile" <<DOCKERFILE
FROM debian:$DEBIAN_SUITE-slim
COPY node /usr/local/bin/node
COPY npm /usr/local/lib/node_modules/npm
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
 && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \
 && node -v && npm -v
CMD ["node"]
DOCKERFILE
  docker build -q -t "$tag" "$ctx" >/dev/null || fail FL_SETUP_SEED "building $tag failed" "rerun 'npm run setup' to see docker's output"
  rm -rf "$ctx"
}

seed_toxiproxy() {
  local tag=$1 ctx; ctx=$(mktemp -d)
  have go || fail FL_SETUP_NO_GO "Go is needed to build Toxiproxy $TOXIPROXY_VERSION" "install Go, or make $tag pullable"
  note "go install toxiproxy server and cli $TOXIPROXY_VERSION (static)"
  CGO_ENABLED=0 GOBIN="$ctx" go install -trimpath -ldflags='-s -w' \
    "github.com/Shopify/toxiproxy/v2/cmd/server@$TOXIPROXY_VERSION" "github.com/Shopify/toxiproxy/v2/cmd/cli@$TOXIPROXY_VERSION" \
    || fail FL_SETUP_GO "building Toxiproxy failed" "check that the Go module proxy is reachable (go env GOPROXY)"
  # Upstream layout: FROM scratch, /toxiproxy and /toxiproxy-cli, API on 8474.
  cat >"$ctx/Dockerfile" <<'DOCKERFILE'
FROM scratch
COPY server /toxiproxy
COPY cli /toxiproxy-cli
EXPOSE 8474
ENTRYPOINT ["/toxiproxy"]
CMD ["-host=0.0.0.0"]
DOCKERFILE
  docker build -q -t "$tag" "$ctx" >/dev/null || fail FL_SETUP_SEED "building $tag failed" "rerun 'npm run setup' to see docker's output"
  rm -rf "$ctx"
}

# Tags in dependency order: the Node image builds FROM the Debian one.
ensure_base_images() {
  step "Base images"
  local tag
  for tag in $BASE_IMAGES; do
    if have_image "$tag"; then note "$tag present"; continue; fi
    if [ "${FAULTLINE_SEED:-auto}" != always ] && timeout 120 docker pull -q "$tag" >/dev/null 2>&1; then
      note "$tag pulled"; continue
    fi
    note "$tag cannot be pulled: seeding it from upstream sources"
    case "$tag" in
      debian:*) seed_debian "$tag" ;;
      node:*) seed_node "$tag" ;;
      ghcr.io/shopify/toxiproxy:*) seed_toxiproxy "$tag" ;;
      *) fail FL_SETUP_SEED "no way to seed $tag" "make $tag pullable, or add a seeder in services/setup/images.sh" ;;
    esac
    have_image "$tag" && note "$tag seeded"
  done
}
