// A failover experiment on your own compose project (written by `faultline init --compose`; edit
// it freely). It kills the primary of the store `{{store}}` with SIGKILL, keeps it down for 20 s,
// and judges what the recorded history shows. (.mts: an ES module whatever package.json says.)
//
//   npx faultline validate faultline/experiments   check it against its target; touches nothing
//   npx faultline up --target {{targetFile}}    start the project, wired by faultline wrap
//   npx faultline run faultline/experiments         run it: verdict, then .faultline/runs/latest/
import { defineExperiment } from 'faultline';

export default defineExperiment({
  name: '{{store}}-primary-kill',
  description: 'SIGKILL the {{store}} primary for 20 s: does a replica take over, and what is lost?',
  // Written by `faultline wrap {{composeFile}}`; run wrap again when the compose file changes.
  target: '{{target}}',
  steadyState: {
    probes: [{ name: '{{store}}: one primary', role: { store: '{{store}}' }, phases: ['before', 'after'] }],
    recoverWithin: '60s',
  },
  // Writes that the checks count (acknowledged, lost): your API as an HTTP client, e.g.
  // workload: { rate: 20, warmup: '3s', cooldown: '5s', client: { kind: 'http', url: 'http://127.0.0.1:<host port>/things', body: { id: '{id}' }, readBack: { url: 'http://127.0.0.1:<host port>/things/{id}' } } },
  // (`faultline wrap --check` lists the host ports that reach your services through their proxies.)
  timeline: [
    { fault: { kind: 'kill', node: { primaryOf: '{{store}}' } }, for: '20s', name: 'kill the {{store}} primary' },
    // A dead server behind Toxiproxy is accepted then closed, not refused: if your clients try the
    // next host only on a refused connect (libpq's host list does), also cut their links to the
    // killed node for as long as it is down: { fault: { kind: 'link_down', link: { from: '<client>', to: '<node>' } }, for: '20s' }
    // (with both in a `concurrent` step). Where nothing promotes a replica by itself, do it as an
    // operator would, e.g. for Postgres:
    // { fault: { kind: 'exec', node: { replicaOf: '{{store}}' }, command: ['pg_ctl', 'promote', '-D', '/var/lib/postgresql/data'] } },
  ],
  maxDuration: '3m',
});
