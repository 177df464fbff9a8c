#!/usr/bin/env node
// faultline CLI: parse, call the harness, map the outcome to an exit code. Errors are turned
// into exit codes in exactly one place (run()).
import { Command } from 'commander';
import pc from 'picocolors';
import { ErrorCodes, FaultlineError, formatError, isFaultlineError } from '../core/errors.ts';
import { packageVersion } from '../core/package.ts';
import { ExitCodes, exitCodeFor, exitCodeForRuns } from './exit-codes.ts';

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
  // Exit now: a connection some library keeps alive must not hold the verdict back
  // (stdout and stderr are synchronous for files and pipes on Linux, so nothing is cut).
  process.exit();
}

const program = new Command('faultline')
  .description('Failover chaos testing: does failover take over, how fast, and what is lost?')
  .version(packageVersion(), '-V, --version', 'print the version')
  .option('-t, --target <file>', 'target description (default: the reference mesh, services/mesh.json)')
  .showHelpAfterError()
  // Usage errors (an unknown command or flag, a missing argument, no command) are bad input:
  // exit code 4, as documented; help and --version exit 0. Commands defined below inherit it.
  .exitOverride((e) => process.exit(e.exitCode === 0 ? ExitCodes.OK : ExitCodes.BAD_INPUT));

const target = async () => (await import('../stores/target.ts')).loadTarget(program.opts<{ target?: string }>().target);

const collect = (v: string, all: string[]) => [...all, v];

program.command('up')
  .description('start the mesh and wait until every node is healthy, then print its status; with --variant, apply variants and read them back')
  .option('--timeout <seconds>', 'give up waiting for health after this long', '240')
  .option('--variant <names>', 'variants to apply once healthy: registry names, comma-separated, or a JSON file of your own (`faultline variant list`)', collect, [])
  .option('--param <key=value>', 'a variant param, e.g. sentinel.down-after-milliseconds=3000 (it names its variant); repeatable', collect, [])
  .action((o: { timeout: string; variant: string[]; param: string[] }) => run(async () => {
    const t = await target();
    const { status } = await import('../mesh/lifecycle.ts');
    const { usesFromFlags } = await import('../variants/check.ts');
    const { upWithVariants } = await import('../variants/up.ts');
    const { renderStatus, renderUpVariants } = await import('./render.ts');
    const uses = usesFromFlags(o.variant, o.param); // checked before anything starts
    const started = Date.now();
    const applied = await upWithVariants(t, uses, { onProgress: (l) => console.error(pc.dim(l)), timeoutS: Number(o.timeout) });
    console.log(renderStatus(await status(t)));
    if (uses.length) console.log(renderUpVariants(applied));
    console.error(pc.green(`mesh up in ${((Date.now() - started) / 1000).toFixed(1)} s`));
  }));

const variant = program.command('variant').description('variants of the mesh: list the registry, or show which are in force');

variant.command('list')
  .description('every registry variant: what it changes, its params (--param keys, defaults, ranges)')
  .action(() => run(async () => {
    const { variantRegistry } = await import('../variants/registry.ts');
    console.log((await import('./render.ts')).renderVariantList([...variantRegistry.values()]));
  }));

variant.command('show')
  .description('which registry variants are in force on the running mesh, read from every node')
  .option('--json', 'print JSON')
  .action((o: { json?: boolean }) => run(async () => {
    const { variantStates } = await import('../variants/show.ts');
    const states = await variantStates(await target());
    console.log(o.json ? JSON.stringify(states, null, 2) : (await import('./render.ts')).renderVariantStates(states));
  }));

program.command('setup')
  .description('install what the mesh needs (Docker engine, Compose, base images) and build its images')
  .action(() => run(async () => {
    const code = await (await import('../mesh/setup.ts')).runSetup({ onProgress: (l) => console.error(l) });
    return code === 0 ? ExitCodes.OK : ExitCodes.ENVIRONMENT;
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
  .description('heal everything: drop every toxic, re-enable every proxy, start paused or stopped nodes, remove fl- iptables rules')
  .action(() => run(async () => {
    const { resetTarget } = await import('../faults/reset.ts');
    const { recoverStaleRun } = await import('../runner/recover.ts');
    const t = await target();
    const stale = await recoverStaleRun(t.projectName, process.env, 'faultline reset');
    if (stale) console.log(`run ${stale.run.runId} (${stale.run.experiment}) was killed before it healed; healed ${stale.summary}; its journal is marked recovered`);
    const r = await resetTarget(t);
    console.log(`removed ${r.toxicsRemoved} toxic(s), re-enabled ${r.proxiesEnabled} prox${r.proxiesEnabled === 1 ? 'y' : 'ies'}, started ${r.nodesStarted.length ? r.nodesStarted.join(', ') : 'no nodes'}, removed ${r.kernelRulesRemoved} iptables rule(s)`);
  }));

interface RunFlags { json?: boolean; seed?: string; dryRun?: boolean; runsDir?: string; shard?: string }
const seedOf = (s: string | undefined): number | undefined => {
  if (s === undefined) return undefined;
  const n = Number(s);
  if (!Number.isInteger(n) || n < 0 || n >= 2 ** 31) {
    throw new FaultlineError(ErrorCodes.BAD_INPUT, `--seed ${s} is not a whole number from 0 to 2147483647`, 'pass e.g. --seed 42');
  }
  return n;
};

program.command('run')
  .description('run experiment files (or directories of them): validate all, then run each, healing always')
  .argument('<files...>', 'experiment files or directories')
  .option('--json', 'print one JSON document with the results on stdout (progress goes to stderr)')
  .option('--seed <n>', 'seed for random schedules (default: random, printed and journaled)')
  .option('--dry-run', 'validate and print the resolved timeline; touch nothing')
  .option('--runs-dir <dir>', 'where run directories go (default .faultline/runs, or FAULTLINE_RUNS_DIR)')
  .option('--shard <i/n>', 'run only slice i of n of the experiments (CI jobs side by side; join them with faultline merge)')
  .action((files: string[], o: RunFlags) => run(async () => {
    const seed = seedOf(o.seed);
    const { parseShard, sliceForShard } = await import('../runner/shard.ts');
    const shard = o.shard === undefined ? undefined : parseShard(o.shard);
    const { loadExperiments, throwIfProblems } = await import('../runner/load.ts');
    const { validateExperiment } = await import('../runner/validate.ts');
    const { experiments, problems } = await loadExperiments(files);
    const defaultTarget = program.opts<{ target?: string }>().target;
    const planSeed = seed ?? (await import('node:crypto')).randomInt(2 ** 31 - 1);
    const checked = [];
    for (const e of experiments) {
      const r = await validateExperiment(e, { seed: planSeed, ...(defaultTarget ? { defaultTarget } : {}) });
      problems.push(...r.problems.map((p) => ({ ...p, path: `${e.name}: ${p.path ?? ''}` })));
      if (r.value && !e.incomplete) checked.push(r.value);
    }
    throwIfProblems(problems, 'experiments are not valid');
    // Every job validates the whole list (a mistake fails every slice alike), then takes its slice
    // of it in the order the files were given.
    const mine = sliceForShard(checked, shard);
    if (shard) console.error(pc.dim(`shard ${shard.index}/${shard.total}: ${mine.length} of ${checked.length} experiment(s)${mine.length ? `: ${mine.map((v) => v.experiment.name).join(', ')}` : ' (nothing to run in this slice)'}`));
    if (o.dryRun) {
      const { renderPlan } = await import('../runner/plan.ts');
      const { formatMs } = await import('../core/duration.ts');
      for (const v of mine) {
        const d = v.plan.duration;
        console.log(`${pc.bold(v.experiment.name)} on ${v.target.projectName} (seed ${v.plan.seed}; timeline ${formatMs(d[0])}${d[1] !== d[0] ? ` to ${formatMs(d[1])}` : ''})`);
        if (v.experiment.variants.length) {
          const { resolveVariant } = await import('../variants/check.ts');
          const { variantLabel } = await import('../report/format.ts');
          console.log(`  variants: ${v.experiment.variants.map((u) => variantLabel(resolveVariant(u))).join('; ')}`);
        }
        for (const l of renderPlan(v.plan)) console.log(`  ${l}`);
      }
      return ExitCodes.OK;
    }
    const { runExperiment } = await import('../runner/run.ts');
    const { renderRun } = await import('./render-run.ts');
    const results = [];
    for (const v of mine) {
      const say = (l: string) => console.error(pc.dim(`[${v.experiment.name}] ${l}`));
      const r = await runExperiment(v.experiment, { seed: planSeed, handleSignals: true, onProgress: say, ...(defaultTarget ? { defaultTarget } : {}), ...(o.runsDir ? { runsDir: o.runsDir } : {}) });
      results.push(r);
      if (!o.json) console.log(renderRun(r));
    }
    if (o.json) {
      const { toJsonReport } = await import('../report/json.ts');
      const docs = results.map(toJsonReport);
      console.log(JSON.stringify(docs.length === 1 ? docs[0] : docs, null, 2));
    }
    return exitCodeForRuns(results);
  }));

interface SweepFlags { param: string[]; seed?: string; dryRun?: boolean; sweepsDir?: string; shard?: string; json?: boolean }

program.command('sweep')
  .description('run one experiment across values of variant settings (--param key=v1,v2), then print a table and write a chart, a JUnit file and the rows')
  .argument('<experiment>', 'an experiment file (file#name for one of several in a file)')
  .option('--param <key=v1,v2,...>', 'a variant setting and its values, e.g. sentinel.down-after-milliseconds=1000,3000; repeatable: the points are every combination, first key slowest', collect, [])
  .option('--seed <n>', 'seed for random schedules, the same for every point (default: random, printed and journaled)')
  .option('--dry-run', 'validate every point and list them (and this shard\'s slice); touch nothing')
  .option('--sweeps-dir <dir>', 'where the sweep directory goes (default .faultline/sweeps, or FAULTLINE_SWEEPS_DIR)')
  .option('--shard <i/n>', 'run only slice i of n of the points (CI jobs side by side; join them with faultline merge)')
  .option('--json', 'print the rows as JSON on stdout (progress goes to stderr)')
  .action((spec: string, o: SweepFlags) => run(async () => {
    const seed = seedOf(o.seed) ?? (await import('node:crypto')).randomInt(2 ** 31 - 1);
    const { parseShard } = await import('../runner/shard.ts');
    const shard = o.shard === undefined ? undefined : parseShard(o.shard);
    const { planSweep, runSweep } = await import('../runner/sweep.ts');
    const { pointLabel } = await import('../variants/sweep-params.ts');
    const defaultTarget = program.opts<{ target?: string }>().target;
    const plan = await planSweep(spec, o.param, { seed, ...(shard ? { shard } : {}), ...(defaultTarget ? { defaultTarget } : {}) });
    const mine = new Set(plan.mine.map((p) => p.index));
    const slice = shard ? `shard ${shard.index}/${shard.total}: ${plan.mine.length ? `point${plan.mine.length > 1 ? 's' : ''} ${plan.mine[0]!.index}${plan.mine.length > 1 ? `-${plan.mine.at(-1)!.index}` : ''}` : 'no points (nothing to run in this slice)'} of ${plan.points.length}` : '';
    if (o.dryRun) {
      const { renderPlan } = await import('../runner/plan.ts');
      const { resolveVariant } = await import('../variants/check.ts');
      const { variantLabel } = await import('../report/format.ts');
      const first = plan.points[0]!.validated;
      console.log(`${pc.bold(plan.experiment.name)} on ${first.target.projectName}: ${plan.points.length} point(s) over ${plan.axes.map((a) => a.key).join(', ')} (seed ${seed})${slice ? `; ${slice}` : ''}`);
      for (const p of plan.points) {
        console.log(`  ${mine.has(p.index) ? ' ' : pc.dim('-')} ${String(p.index).padStart(3)}  ${pointLabel(p.point)}  ${pc.dim(`variants: ${p.validated.experiment.variants.map((u) => variantLabel(resolveVariant(u))).join('; ')}`)}`);
      }
      console.log('  timeline (every point):');
      for (const l of renderPlan(first.plan)) console.log(`    ${l}`);
      return ExitCodes.OK;
    }
    if (slice) console.error(pc.dim(slice));
    const { renderResultsTable } = await import('../report/results.ts');
    const { paintVerdict } = await import('../report/console.ts');
    const { formatMs } = await import('../core/duration.ts');
    const s = await runSweep(plan, {
      handleSignals: true, onProgress: (l) => console.error(pc.dim(l)), ...(defaultTarget ? { defaultTarget } : {}), ...(o.sweepsDir ? { sweepsDir: o.sweepsDir } : {}),
      onRun: (r, p) => {
        const f = Object.values(r.judgement.failover).map((x) => x.promotedMs).filter((x): x is number => x !== null);
        console.error(`point ${p.index}/${plan.points.length} ${pointLabel(p.point)}: ${paintVerdict(r.verdict)}, failover ${f.length ? formatMs(Math.max(...f)) : '-'}, lost ${r.judgement.writes.lost ?? 'unknown'}${r.reasons.length ? ` (${r.reasons.join('; ')})` : ''}; ${r.runDir}`);
      },
    });
    if (o.json) console.log(JSON.stringify(s.rows, null, 2));
    else console.log(`${renderResultsTable(s.rows)}\n${pc.dim(`sweep: ${s.dir}\nwritten: ${s.files.html}, ${s.files.junit}, ${s.files.json}`)}`);
    if (s.notRun.length) console.error(pc.yellow(`not run (${s.interrupted ? 'interrupted' : 'stopped'}): ${s.notRun.map((p) => `${p.index} ${pointLabel(p.point)}`).join(', ')}`));
    if (s.error) throw s.error;
    const code = exitCodeForRuns(s.results);
    // A sweep cut short has not answered for every point.
    return code === ExitCodes.OK && (s.interrupted || s.notRun.length) ? ExitCodes.UNKNOWN : code;
  }));

program.command('merge')
  .description('join the runs of CI slices (--shard) or of a sweep into one table, JUnit file and chart')
  .argument('<dirs...>', 'runs directories (or run directories) to join, e.g. the slices\' downloaded artifacts')
  .option('--out <dir>', 'where to write results.html, junit.xml and results.json', '.faultline/merged')
  .option('--json', 'print the rows as JSON')
  .action((dirs: string[], o: { out: string; json?: boolean }) => run(async () => {
    const { findRuns } = await import('../report/merge.ts');
    const { renderResultsTable } = await import('../report/results.ts');
    const { writeResults } = await import('../report/write.ts');
    const runs = findRuns(dirs);
    const { rows, files } = writeResults(o.out, runs, `faultline: ${runs.length} run(s) from ${dirs.length} director${dirs.length === 1 ? 'y' : 'ies'}`);
    if (o.json) console.log(JSON.stringify(rows, null, 2));
    else console.log(`${renderResultsTable(rows)}\n${pc.dim(`written: ${files.html}, ${files.junit}, ${files.json}`)}`);
    return exitCodeForRuns(runs.map((f) => f.result));
  }));

program.command('validate')
  .description('check experiment files against their targets without touching anything')
  .argument('<files...>', 'experiment files or directories')
  .action((files: string[]) => run(async () => {
    const { loadExperiments, throwIfProblems } = await import('../runner/load.ts');
    const { validateExperiment } = await import('../runner/validate.ts');
    const { formatMs } = await import('../core/duration.ts');
    const { experiments, problems } = await loadExperiments(files);
    const defaultTarget = program.opts<{ target?: string }>().target;
    const ok: string[] = [];
    for (const e of experiments) {
      const r = await validateExperiment(e, { seed: 1, ...(defaultTarget ? { defaultTarget } : {}) });
      problems.push(...r.problems.map((p) => ({ ...p, path: `${e.name}: ${p.path ?? ''}` })));
      if (r.value && !e.incomplete) ok.push(`${pc.green('ok')} ${e.name}: ${r.value.plan.faults.length} fault(s) on ${r.value.target.projectName}, timeline up to ${formatMs(r.value.plan.duration[1])}`);
    }
    ok.forEach((l) => console.log(l));
    throwIfProblems(problems, 'experiments are not valid');
  }));

program.command('judge')
  .description('judge a recorded run again from its directory (journal, SLOs, target) and rewrite its reports')
  .argument('[runDir]', 'a run directory', '.faultline/runs/latest')
  .option('--json', 'print the judgement as JSON')
  .action((runDir: string, o: { json?: boolean }) => run(async () => {
    const { rejudge } = await import('../runner/rejudge.ts');
    const r = await rejudge(runDir);
    if (o.json) console.log(JSON.stringify({ verdict: r.run.verdict, reasons: r.run.reasons, cleanup: r.run.cleanup, variants: r.header.variants, judgement: r.judgement }, null, 2));
    else {
      const { paintVerdict, renderSummary } = await import('../report/console.ts');
      const { describeVariants } = await import('../report/format.ts');
      const variants = r.header.variants ? `${describeVariants(r.header.variants).join('\n')}\n` : '';
      console.log(`${pc.bold(r.header.experiment)}: ${paintVerdict(r.run.verdict)} (re-judged from ${runDir})\n${r.run.reasons.map((x) => `  - ${x}`).join('\n')}\n${variants}${renderSummary(r.header, r.judgement)}\n${pc.dim(r.reports.html ? `report: ${r.reports.html}` : `reports not written: ${r.reportsError}`)}`);
    }
    // The same exit codes as the run that recorded it: cleanup first, then fail, then unknown.
    return exitCodeForRuns([{ verdict: r.run.verdict, cleanup: { verdict: r.run.cleanup } }]);
  }));

interface WrapFlags { answers?: string; zone: string[]; kind: string[]; store: string[]; out: string; hostPortBase?: string; subnet?: string; force?: boolean }
const wrapOptions = (o: WrapFlags) => ({
  ...(o.answers ? { answers: o.answers } : {}),
  flags: { zone: o.zone, kind: o.kind, store: o.store, ...(o.hostPortBase !== undefined ? { hostPortBase: Number(o.hostPortBase) } : {}), ...(o.subnet ? { subnet: o.subnet } : {}) },
  outDir: o.out, force: Boolean(o.force),
});
const wrapFlags = (c: Command) => c
  .option('--answers <file>', 'per service: zone, and where wrap cannot tell, kind, store, connects (YAML or JSON)')
  .option('--zone <service=zone>', 'a service\'s zone; repeatable', collect, [])
  .option('--kind <service=kind>', 'a service\'s kind (postgres, redis, app, ...), where wrap guesses wrong; repeatable', collect, [])
  .option('--store <service=store>', 'the store a service belongs to; repeatable', collect, [])
  .option('--out <dir>', 'where the override, Toxiproxy config and target go', 'faultline')
  .option('--host-port-base <port>', 'first host port wrap publishes (default 27000)')
  .option('--subnet <cidr>', 'where the networks\' /28 subnets come from (default 10.213.0.0/16)')
  .option('--force', 'overwrite files in --out that wrap did not write');

wrapFlags(program.command('wrap')
  .description('wire an existing compose project without editing it: an override putting a proxy on every link, Toxiproxy\'s config and a target')
  .argument('<compose-file>', 'the project\'s compose file'))
  .option('--check', 'say what would be written and every link found; write nothing')
  .action((file: string, o: WrapFlags & { check?: boolean }) => run(async () => {
    const { wrapCompose } = await import('../wrap/wrap.ts');
    const { renderWrap } = await import('./render-wrap.ts');
    console.log(renderWrap(await wrapCompose(file, { ...wrapOptions(o), check: Boolean(o.check) })));
  }));

wrapFlags(program.command('init')
  .description('scaffold an experiment, a vitest test and a GitHub Actions workflow into the current project; with --compose, wrap that project first and aim them at it'))
  .option('--compose <file>', 'your compose project: wrap it (as `faultline wrap`) and target it')
  .action((o: WrapFlags & { compose?: string }) => run(async () => {
    const { initProject, renderInit } = await import('./init.ts');
    if (!o.compose) return void console.log(renderInit(initProject(process.cwd(), { force: Boolean(o.force) })));
    const { wrapCompose } = await import('../wrap/wrap.ts');
    const { renderWrap } = await import('./render-wrap.ts');
    // Wrap's files are checked, not written: init writes them with its own, all or none.
    const w = await wrapCompose(o.compose, { ...wrapOptions(o), check: true });
    const wrapArgs = [o.answers && ` --answers ${o.answers}`, ...(['zone', 'kind', 'store'] as const).flatMap((f) => o[f].map((v) => ` --${f} ${v}`)), o.out !== 'faultline' && ` --out ${o.out}`,
      o.hostPortBase && ` --host-port-base ${o.hostPortBase}`, o.subnet && ` --subnet ${o.subnet}`].filter(Boolean).join('');
    const result = initProject(process.cwd(), { force: Boolean(o.force), wrapped: { files: w.files, target: w.files.find((f) => f.path.endsWith('target.json'))!.path, composeFile: w.target.composePath, stores: w.model.stores, wrapArgs } });
    console.log(renderWrap(w, { files: false }));
    console.log(renderInit(result));
  }));

program.command('list')
  .description('the experiments in the catalogue (or in the given files/directories), and the fault kinds')
  .argument('[paths...]', 'files or directories', ['experiments'])
  .action((paths: string[]) => run(async () => {
    const { loadExperiments } = await import('../runner/load.ts');
    const { faultKindNames } = await import('../faults/registry.ts');
    const { experiments, problems } = await loadExperiments(paths);
    const { relative } = await import('node:path');
    for (const e of experiments) console.log(`${pc.bold(e.name.padEnd(36))} ${e.description.split('\n')[0]}\n${' '.repeat(37)}${pc.dim(relative(process.cwd(), e.file ?? ''))}`);
    for (const p of problems) console.error(pc.yellow(`skipped ${p.path}: ${p.message}`));
    console.log(`\nfault kinds: ${faultKindNames().join(', ')}`);
  }));

await program.parseAsync();
