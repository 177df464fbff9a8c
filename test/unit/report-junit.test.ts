// JUnit output read back by a real XML parser: the counts CI shows, one test case per SLO plus
// cleanup, and evidence full of markup and control characters surviving as well-formed XML.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import type { SloVerdict } from '../../src/core/verdict.ts';
import { renderJUnit, xmlAttr, xmlText } from '../../src/report/junit.ts';
import { sampleHistory, sampleJudgement } from '../fixtures/report/sample.ts';

// Characters XML 1.0 cannot carry at all, even as &#n; (so a parser must never meet them raw).
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
const NASTY = 'a < b && c > "d" \'e\' ]]> <!-- x --> bell\u0007 esc\u001b[31m nul\u0000 lone\uD800 line1\nline2\ttab';
const NASTY_VISIBLE = 'a < b && c > "d" \'e\' ]]> <!-- x --> bell\\u0007 esc\\u001b[31m nul\\u0000 lone\\ud800 line1\nline2\ttab';

interface Case { classname: string; name: string; failure?: { message: string; '#text'?: string }; error?: { message: string }; skipped?: { message: string }; 'system-out'?: string }
interface Suite { name: string; tests: string; failures: string; errors: string; skipped: string; time: string; testcase: Case[]; 'system-out': string }

function parse(xml: string): { root: Record<string, string>; suite: Suite } {
  expect(XMLValidator.validate(xml)).toBe(true);
  expect(NOT_XML_CHAR.test(xml)).toBe(false);
  // htmlEntities: fast-xml-parser decodes numeric references (&#10;) only with it on; XML requires them.
  const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', trimValues: false, htmlEntities: true, isArray: (n) => n === 'testcase' || n === 'testsuite' }).parse(xml);
  return { root: doc.testsuites, suite: doc.testsuites.testsuite[0] };
}

const slo = (name: string, verdict: SloVerdict['verdict'], evidence: string, observed: number | null = 1, limit = 2): SloVerdict =>
  ({ name, verdict, observed, limit, unit: 'ms', evidence });

describe('JUnit report', () => {
  it('one suite per experiment, one case per SLO plus cleanup, counts CI reads', () => {
    const h = sampleHistory();
    const j = sampleJudgement(h);
    const { root, suite } = parse(renderJUnit(h, j, { cleanup: 'failed' }));
    expect(suite).toMatchObject({ name: 'postgres-primary-kill', tests: '5', failures: '2', errors: '1', skipped: '0', time: '60.000' });
    expect(root).toMatchObject({ tests: '5', failures: '2', errors: '1', skipped: '0' });
    expect(suite.testcase.map((c) => [c.classname, c.name])).toEqual([...j.slos.map((s) => s.name), 'cleanup'].map((n) => ['postgres-primary-kill', n]));
    const by = Object.fromEntries(suite.testcase.map((c) => [c.name, c]));
    expect(by.maxUnavailableTime!.failure!.message).toBe('observed 6.2 s > limit 5 s');
    expect(by.maxLostAckedWrites!.error!.message).toMatch(/^unknown: no ledger/);
    expect(by['maxFailoverTime[postgres]']).not.toHaveProperty('failure');
    expect(by['maxFailoverTime[postgres]']!['system-out']).toContain('evidence: detected at +600 ms');
    expect(by.cleanup!.failure!.message).toMatch(/cleanup failed/);
    expect(suite['system-out']).toContain('failover postgres: pg-a -> pg-b (f1), detected +600 ms, promoted +6 s');
  });

  it('cleanup ok passes; cleanup not reported is skipped, not passed', () => {
    const h = sampleHistory();
    const j = { ...sampleJudgement(h), slos: [] };
    const ok = parse(renderJUnit(h, j, { cleanup: 'ok' })).suite;
    expect(ok).toMatchObject({ tests: '1', failures: '0', errors: '0', skipped: '0' });
    expect(ok.testcase[0]).not.toHaveProperty('failure');
    const unsaid = parse(renderJUnit(h, j)).suite;
    expect(unsaid).toMatchObject({ tests: '1', failures: '0', skipped: '1' });
    expect(unsaid.testcase[0]!.skipped!.message).toMatch(/not reported/);
  });

  it('escapes markup, quotes and control characters in evidence, names and messages', () => {
    const h = { ...sampleHistory(), experiment: 'exp "<&>"' };
    const j = { ...sampleJudgement(h), slos: [slo(`fail ${NASTY}`, 'fail', NASTY, 3, 2), slo('unknown', 'unknown', NASTY, null)] };
    const { suite } = parse(renderJUnit(h, j, { cleanup: 'ok' }));
    expect(suite).toMatchObject({ name: 'exp "<&>"', tests: '3', failures: '1', errors: '1' });
    const [failed, unknown] = suite.testcase;
    expect(failed!.name).toBe(`fail ${NASTY_VISIBLE}`);
    expect(failed!.classname).toBe('exp "<&>"');
    expect(failed!.failure!.message).toBe('observed 3 ms > limit 2 ms');
    expect(failed!.failure!['#text']).toBe(NASTY_VISIBLE);
    expect(failed!['system-out']).toContain(`evidence: ${NASTY_VISIBLE}`);
    // Newlines and tabs in an attribute survive as characters, not folded into spaces.
    expect(unknown!.error!.message).toBe(`unknown: ${NASTY_VISIBLE}`);
  });

  it('the escapers on their own', () => {
    expect(xmlText('<a & b>')).toBe('&lt;a &amp; b&gt;');
    expect(xmlAttr('"x"\n\'y\'\t')).toBe('&quot;x&quot;&#10;&apos;y&apos;&#9;');
    expect(xmlText('\u0001\uFFFE\u{1F600}')).toBe('\\u0001\\ufffe\u{1F600}');
  });
});
