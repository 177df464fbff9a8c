# Step: Debian's chromium, which the browser tests (test/browser/) drive to open the HTML report.
# Only tests need it; faultline itself never starts a browser.
# shellcheck shell=bash

ensure_chromium() {
  step "Chromium (browser tests)"
  # The tests launch /usr/bin/chromium, so check that path rather than whatever PATH offers.
  if [ -x /usr/bin/chromium ]; then note "$(/usr/bin/chromium --version 2>/dev/null || echo 'chromium present')"; return; fi
  note "installing Debian's chromium (about 20 s)"
  # Quiet: without these, debconf and needrestart print harmless warnings in a bare container.
  DEBCONF_NOWARNINGS=yes NEEDRESTART_SUSPEND=1 apt_install chromium
  note "$(/usr/bin/chromium --version 2>/dev/null)"
}
