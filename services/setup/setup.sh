#!/usr/bin/env bash
# `npm run setup`: everything faultline needs, from a bare Debian machine. Idempotent: each step
# checks first and changes only what is missing, so a machine that has Docker, Compose, Node >= 22
# and a registry is left as it is (apart from `npm ci` and the mesh's own image builds).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$here/../.."
# shellcheck source=/dev/null
for f in versions.env lib.sh engine.sh compose.sh node.sh images.sh browser.sh; do . "$here/$f"; done

started=$(date +%s)
ensure_engine
ensure_compose
ensure_base_images
ensure_chromium

step "npm ci"
npm ci --no-audit --no-fund --loglevel=error
(cd services/app && npm ci --omit=dev --no-audit --no-fund --loglevel=error)
ensure_node

step "Mesh images (docker compose build)"
docker compose build --quiet || fail FL_SETUP_BUILD "building the mesh images failed" "run 'docker compose build' to see the failing step"
# A rebuild leaves the previous image dangling; remove only ours.
docker image prune -f --filter label=io.faultline.image=mesh >/dev/null

step "Done in $(( $(date +%s) - started )) s. Next: npm test, or npx faultline up"
