// JUnit XML for CI: one <testsuite> per experiment, one <testcase> per SLO plus one for cleanup, so
// Jenkins' and GitLab's test views list each SLO with its verdict and evidence.
//
// Verdict mapping:
// - fail    → <failure message="observed X > limit Y">: an assertion that did not hold.
// - unknown → <error>: JUnit's "the test could not reach a conclusion". Jenkins counts errors with
//   failures (build unstable) and GitLab lists them as errored; <skipped> would show as a neutral
//   grey skip that a pipeline ignores, and unknown must never read as harmless (exit code 2).
// - cleanup not reported by the caller → <skipped>: nothing was judged, so nothing failed.
//
// `time`: the suite carries the run's duration. Test cases carry none (it is optional for both CI
// systems): the checks judge a recorded history afterwards and take no time worth reporting, and
// putting a measured failover time there would be summed by CI into a meaningless suite total.
//
// XML is written by hand with the escaper below rather than a builder package: the document has a
// fixed, shallow shape, and the one subtle part, characters XML 1.0 cannot carry at all, needs
// handling either way (builders typically throw on them, and a report must not fail on evidence).
import type { Judgement, RunVerdict, SloVerdict } from '../core/verdict.ts';
import type { History } from '../history/model.ts';
import { formatValue, sinceFault, sloMessage } from './format.ts';

// Everything outside XML 1.0's Char production (C0 controls but tab/LF/CR, lone surrogates, U+FFFE/F).
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;
const visible = (s: string): string =>
  s.replace(NOT_XML_CHAR, (c) => `\\u${c.codePointAt(0)!.toString(16).padStart(4, '0')}`);

/** Text content: the characters XML cannot carry become visible \uXXXX, markup is escaped. */
export const xmlText = (s: string): string => visible(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Attribute value (double-quoted): as text, plus quotes, and whitespace a parser would otherwise fold to spaces. */
export const xmlAttr = (s: string): string =>
  xmlText(s).replace(/"/g, '&quot;').replace(/'/g, '&apos;').replace(/\t/g, '&#9;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;');

const attrs = (a: Record<string, string | number | undefined>): string =>
  Object.entries(a).filter(([, v]) => v !== undefined).map(([k, v]) => ` ${k}="${xmlAttr(String(v))}"`).join('');

function sloDetail(s: SloVerdict): string {
  return `verdict: ${s.verdict}\nobserved: ${formatValue(s.observed, s.unit)}\nlimit: ${formatValue(s.limit, s.unit)}\nevidence: ${s.evidence}`;
}

function sloCase(classname: string, s: SloVerdict): string {
  const open = `    <testcase${attrs({ classname, name: s.name })}>`;
  const out = `      <system-out>${xmlText(sloDetail(s))}</system-out>`;
  if (s.verdict === 'pass') return [open, out, '    </testcase>'].join('\n');
  const tag = s.verdict === 'fail' ? 'failure' : 'error';
  const message = s.verdict === 'fail' ? sloMessage(s) : `unknown: ${s.evidence}`;
  return [open, `      <${tag}${attrs({ message, type: s.verdict })}>${xmlText(s.evidence)}</${tag}>`, out, '    </testcase>'].join('\n');
}

function cleanupCase(classname: string, cleanup: 'ok' | 'failed' | undefined): string {
  const open = `    <testcase${attrs({ classname, name: 'cleanup' })}>`;
  const body = cleanup === 'ok' ? []
    : cleanup === 'failed' ? [`      <failure${attrs({ message: 'cleanup failed: something the run faulted is still faulted', type: 'fail' })}/>`]
      : [`      <skipped${attrs({ message: 'cleanup was not reported to the report writer' })}/>`];
  return [open, ...body, '    </testcase>'].join('\n');
}

/** Plain-text context for the whole suite: failover phases and the write tally. */
function suiteOut(j: Judgement): string {
  const w = j.writes;
  return [
    ...Object.values(j.failovers).flat().map((f) => `failover ${f.store}: ${f.oldPrimary ?? '?'} -> ${f.newPrimary ?? '-'} (${f.cause?.id ?? 'no cause'}), detected ${sinceFault(f.detectedMs)}, promoted ${sinceFault(f.promotedMs)}, recovered ${sinceFault(f.recoveredMs)}`),
    `writes: ${w.attempted} attempted, ${w.acked} acked, ${w.failed} failed, ${w.indeterminate} indeterminate, ${w.lost ?? 'unknown'} lost${w.clientBugs ? `, ${w.clientBugs} client bug(s), not counted` : ''}`,
    `split brain: ${j.splitBrainMs ?? 'unknown'} ms`,
  ].join('\n');
}

/** The run itself as a test case: failed or unknown for reasons beyond the SLOs (a breach, a death, an interruption). */
function runCase(classname: string, run: RunVerdict): string {
  const open = `    <testcase${attrs({ classname, name: 'run' })}>`;
  if (run.verdict === 'pass') return [open, '    </testcase>'].join('\n');
  const tag = run.verdict === 'fail' ? 'failure' : 'error';
  return [open, `      <${tag}${attrs({ message: `run ${run.verdict}: ${run.reasons[0] ?? ''}`, type: run.verdict })}>${xmlText(run.reasons.join('\n'))}</${tag}>`, '    </testcase>'].join('\n');
}

export function renderJUnit(h: History, j: Judgement, opts: { cleanup?: 'ok' | 'failed'; run?: RunVerdict } = {}): string {
  const name = h.experiment || 'experiment';
  const count = (v: SloVerdict['verdict']) => j.slos.filter((s) => s.verdict === v).length;
  const run = opts.run;
  const counts = {
    tests: j.slos.length + 1 + (run ? 1 : 0),
    failures: count('fail') + (opts.cleanup === 'failed' ? 1 : 0) + (run?.verdict === 'fail' ? 1 : 0),
    errors: count('unknown') + (run?.verdict === 'unknown' ? 1 : 0),
    skipped: opts.cleanup === undefined ? 1 : 0,
    time: (h.endT / 1000).toFixed(3),
  };
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${attrs({ name: 'faultline', ...counts })}>`,
    `  <testsuite${attrs({ name, ...counts, timestamp: h.wallClock || undefined })}>`,
    '    <properties>',
    ...Object.entries({ runId: h.runId, verdict: run?.verdict ?? j.verdict, sloVerdict: j.verdict, complete: String(h.complete) })
      .map(([k, v]) => `      <property${attrs({ name: k, value: v })}/>`),
    '    </properties>',
    ...(run ? [runCase(name, run)] : []),
    ...j.slos.map((s) => sloCase(name, s)),
    cleanupCase(name, opts.cleanup),
    `    <system-out>${xmlText(suiteOut(j))}</system-out>`,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
