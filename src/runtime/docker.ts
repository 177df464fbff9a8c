// Container operations on a target's nodes, through testcontainers' container runtime client
// (dockerode underneath, with the engine found the way testcontainers finds it).
import { readFile } from 'node:fs/promises';
import { getContainerRuntimeClient, type ContainerRuntimeClient } from 'testcontainers';
import { ErrorCodes, FaultlineError } from '../core/errors.ts';
import type { Target } from '../config/target.ts';
import { applyRules, rulesWithComment } from './iptables.ts';

// Nothing here pulls images or needs the reaper; without this, testcontainers tries to start Ryuk.
process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';

let client: Promise<ContainerRuntimeClient> | undefined;
const runtime = (): Promise<ContainerRuntimeClient> => (client ??= getContainerRuntimeClient());

// Docker answers 304 when a container is already in the asked-for state.
const ignoreNotModified = (e: { statusCode?: number }): void => {
  if (e.statusCode !== 304) throw e;
};

export interface NodeContainer { id: string; service: string; name: string; state: string }

export class Nodes {
  readonly target: Target;
  constructor(target: Target) {
    this.target = target;
  }

  async list(): Promise<NodeContainer[]> {
    const rt = await runtime();
    const all = await rt.container.dockerode.listContainers({ all: true, filters: { label: [`com.docker.compose.project=${this.target.projectName}`] } });
    return all.map((c) => ({ id: c.Id, service: c.Labels['com.docker.compose.service'] ?? '', name: (c.Names[0] ?? '').replace(/^\//, ''), state: c.State }));
  }

  private async container(node: string) {
    const svc = this.target.nodes[node]?.service ?? (node === this.target.toxiproxy.service ? node : undefined);
    if (!svc) throw new FaultlineError(ErrorCodes.UNKNOWN_NODE, `"${node}" is not a node of target ${this.target.projectName}`, `use one of: ${Object.keys(this.target.nodes).join(', ')}`);
    const found = (await this.list()).find((c) => c.service === svc);
    if (!found) throw new FaultlineError(ErrorCodes.MESH_NOT_UP, `node ${node} has no container in project ${this.target.projectName}`, 'start the mesh: faultline up');
    return (await runtime()).container.dockerode.getContainer(found.id);
  }

  async kill(node: string, signal = 'SIGKILL'): Promise<void> {
    await (await this.container(node)).kill({ signal });
  }

  async stop(node: string, graceS = 10): Promise<void> {
    await (await this.container(node)).stop({ t: graceS }).catch(ignoreNotModified);
  }

  async pause(node: string): Promise<void> {
    await (await this.container(node)).pause();
  }

  async restart(node: string, graceS = 10): Promise<void> {
    await (await this.container(node)).restart({ t: graceS });
  }

  /** Back to running, from stopped, killed or paused; a running node is left alone. */
  async start(node: string): Promise<void> {
    const c = await this.container(node);
    const info = await c.inspect();
    if (info.State.Paused) await c.unpause();
    else if (!info.State.Running) await c.start();
  }

  async state(node: string): Promise<{ running: boolean; paused: boolean; health: string | undefined }> {
    const info = await (await this.container(node)).inspect();
    return { running: info.State.Running, paused: info.State.Paused, health: info.State.Health?.Status };
  }

  /**
   * The host PID of the node's main process, to enter its network namespace (kernel faults);
   * undefined when it is not running. Ask again after a restart: the old PID may be reused.
   * Checked against /proc: an engine in a VM or another PID namespace reports PIDs that are
   * some other process here, and entering that one would cut the wrong network.
   */
  async pid(node: string): Promise<number | undefined> {
    const info = await (await this.container(node)).inspect();
    if (!info.State.Running || info.State.Pid <= 0) return undefined;
    const cgroup = await readFile(`/proc/${info.State.Pid}/cgroup`, 'utf8').catch(() => '');
    if (!cgroup.includes(info.Id)) {
      throw new FaultlineError(ErrorCodes.KERNEL_FAULT_UNAVAILABLE, `PID ${info.State.Pid} of ${node} is not its container on this host: the Docker engine runs in a VM or another PID namespace`,
        'run faultline on the machine (and in the PID namespace) the engine runs in, or use the proxy-level `zones` / `isolate` faults');
    }
    return info.State.Pid;
  }

  /**
   * Add or delete iptables rules in the node's network namespace (kernel faults), all in one
   * transaction. Deleting from a node that is not running is a no-op: its rules went with its netns.
   * `knownPid`: its PID as `pid` just gave it, so that several nodes' rules can go in together.
   */
  async netfilter(node: string, op: 'insert' | 'delete', rules: string[][], knownPid?: number): Promise<void> {
    const pid = knownPid ?? (await this.pid(node));
    if (!pid) {
      if (op === 'delete') return;
      throw new FaultlineError(ErrorCodes.MESH_NOT_UP, `${node} is not running, so there is no network namespace to cut`, 'start it first (`faultline reset`), or cut it with the proxy-level `zones` / `isolate`');
    }
    await applyRules(pid, op, rules);
  }

  /** The node's iptables rules whose comment starts with `prefix` (none when it is not running). */
  async netfilterRules(node: string, prefix: string): Promise<string[][]> {
    const pid = await this.pid(node).catch(() => undefined);
    return pid ? rulesWithComment(pid, prefix) : [];
  }

  /** Run a command inside a node; the exit code and output are returned, never thrown. */
  async exec(node: string, cmd: string[]): Promise<{ exitCode: number; output: string }> {
    const rt = await runtime();
    const r = await rt.container.exec(await this.container(node), cmd);
    return { exitCode: r.exitCode, output: r.output };
  }
}
