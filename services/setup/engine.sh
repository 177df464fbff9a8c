# Step: a Docker engine that answers. Sourced by setup.sh.
# shellcheck shell=bash

ensure_engine() {
  step "Docker engine"
  if engine_up; then note "an engine answers; leaving it as it is"; return; fi
  if ! have dockerd; then
    note "no engine installed: installing Debian's docker.io"
    apt_install docker.io
  fi
  is_root || fail FL_ENGINE_DOWN "the Docker engine is installed but not running" "start it: 'sudo systemctl start docker' (or 'sudo dockerd &')"
  if [ -d /run/systemd/system ] && have systemctl; then
    systemctl start docker || true
  fi
  if ! engine_up; then
    # No init system here (containers, CI sandboxes): run dockerd detached so it outlives npm.
    local log=/var/log/faultline-dockerd.log
    note "starting dockerd (log: $log)"
    setsid nohup dockerd >"$log" 2>&1 </dev/null &
  fi
  for _ in $(seq 1 60); do engine_up && { note "engine up: $(docker version -f '{{.Server.Version}}')"; return; }; sleep 1; done
  fail FL_ENGINE_DOWN "dockerd did not answer within 60 s" "read /var/log/faultline-dockerd.log"
}
