#!/usr/bin/env bash
# `npm run setup` in a checkout, `npx faultline setup` from the installed package: everything the
# reference mesh needs, from a bare Debian machine. Idempotent: each step checks first and changes
# only what is missing, so a machine that has Docker, Compose, Node >= 22 and a registry is left as
# it is (apart from the npm installs and the mesh's own image builds).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$here/../.."
# shellcheck source=/dev/null
for f in versions.env lib.sh engine.sh compose.sh node.sh images.sh wheels.sh browser.sh; do . "$here/$f"; done

# A checkout has its sources and tests; the installed package ships only what the mesh needs, and
# the project it is installed in keeps its own dependencies and its own Node.
if [ -e src/cli/main.ts ]; then mode=checkout; else mode=package; fi

started=$(date +%s)
ensure_engine
# Compose, built from Go sources where the machine has none (minutes of compiling, once), goes on
# beside the steps below, which do not need it; its output is shown when it is waited for.
compose_log=$(mktemp)
ensure_compose >"$compose_log" 2>&1 &
compose_pid=$!
trap 'kill "$compose_pid" 2>/dev/null || true; rm -f "$compose_log"' EXIT
ensure_base_images
if [ "$mode" = checkout ]; then ensure_chromium; fi

if [ "$mode" = checkout ]; then
  step "npm ci"
  npm ci --no-audit --no-fund --loglevel=error
fi
step "App dependencies (services/app)"
(cd services/app && npm ci --omit=dev --no-audit --no-fund --loglevel=error) \
  || fail FL_SETUP_NPM "installing the app's dependencies failed" "run 'npm ci --omit=dev' in $PWD/services/app to see npm's message"
if [ "$mode" = checkout ]; then ensure_node; fi

ensure_patroni_wheels
compose_ok=0
wait "$compose_pid" || compose_ok=$?
cat "$compose_log"
# ensure_compose's own coded error is in its output above.
[ "$compose_ok" = 0 ] || exit "$compose_ok"
step "Mesh images (docker compose build)"
docker compose -f docker-compose.yml build --quiet || fail FL_SETUP_BUILD "building the mesh images failed" "run 'docker compose -f $PWD/docker-compose.yml build' to see the failing step"
# A rebuild leaves the previous image dangling; remove only ours.
docker image prune -f --filter label=io.faultline.image=mesh >/dev/null

if [ "$mode" = checkout ]; then next="npm test, or npx faultline up"; else next="npx faultline up"; fi
step "Done in $(( $(date +%s) - started )) s. Next: $next"
