#!/usr/bin/env node
// faultline CLI: parse, call the harness, map the outcome to an exit code. Errors are turned
// into exit codes in exactly one place (run()).
import { Command } from 'commander';
import pc from 'picocolors';
import { formatError, isFaultlineError } from '../core/errors.ts';
import { ExitCodes, exitCodeFor } from './exit-codes.ts';

async function run(action: () => Promise<number | void>): Promise<void> {
  try {
    process.exitCode = (await action()) ?? ExitCodes.OK;
  } catch (err) {
    if (isFaultlineError(err)) {
      console.error(pc.red(formatError(err)));
      process.exitCode = exitCodeFor(err.code);
    } else {
      console.error(pc.red(`internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`));
      console.error('This is a faultline bug; please report it with the lines above.');
      process.exitCode = ExitCodes.INTERNAL;
    }
  }
}

const program = new Command('faultline')
  .description('Failover chaos testing: does failover take over, how fast, and what is lost?')
  .option('-t, --target <file>', 'target description (default: the reference mesh, services/mesh.json)')
  .showHelpAfterError();

const target = async () => (await import('../config/target.ts')).loadTarget(program.opts<{ target?: string }>().target);

program.command('up')
  .description('start the mesh and wait until every node is healthy, then print its status')
  .option('--timeout <seconds>', 'give up waiting for health after this long', '240')
  .action((o: { timeout: string }) => run(async () => {
    const t = await target();
    const { up, status } = await import('../mesh/lifecycle.ts');
    const { renderStatus } = await import('./render.ts');
    const started = Date.now();
    await up(t, { onProgress: (l) => console.error(pc.dim(l)), timeoutS: Number(o.timeout) });
    console.log(renderStatus(await status(t)));
    console.error(pc.green(`mesh up in ${((Date.now() - started) / 1000).toFixed(1)} s`));
  }));

program.command('down')
  .description('stop the mesh and remove its containers, networks and volumes')
  .option('--keep-data', 'keep the volumes (databases survive to the next up)')
  .action((o: { keepData?: boolean }) => run(async () => {
    const { down } = await import('../mesh/lifecycle.ts');
    const started = Date.now();
    await down(await target(), { keepData: Boolean(o.keepData), onProgress: (l) => console.error(pc.dim(l)) });
    console.error(pc.green(`mesh down in ${((Date.now() - started) / 1000).toFixed(1)} s`));
  }));

program.command('status')
  .description('nodes (zone, role, health) and links (faulted or not)')
  .option('--json', 'print JSON')
  .action((o: { json?: boolean }) => run(async () => {
    const { status } = await import('../mesh/lifecycle.ts');
    const s = await status(await target());
    if (o.json) console.log(JSON.stringify(s, null, 2));
    else console.log((await import('./render.ts')).renderStatus(s));
    return s.up ? ExitCodes.OK : ExitCodes.ENVIRONMENT;
  }));

program.command('reset')
  .description('heal everything: drop every toxic, re-enable every proxy, start paused or stopped nodes')
  .action(() => run(async () => {
    const { resetTarget } = await import('../faults/reset.ts');
    const r = await resetTarget(await target());
    console.log(`removed ${r.toxicsRemoved} toxic(s), re-enabled ${r.proxiesEnabled} prox${r.proxiesEnabled === 1 ? 'y' : 'ies'}, started ${r.nodesStarted.length ? r.nodesStarted.join(', ') : 'no nodes'}`);
  }));

await program.parseAsync();
