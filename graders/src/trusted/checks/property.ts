/**
 * Runs one property-based check against the child. The cases come from a fast-check arbitrary
 * and the part's seed. All of them go to the child in one message; the parent judges every
 * answer. Only when a case fails does fast-check replay the property (same seed, so the same
 * cases) and shrink it to a minimal counterexample, asking the child case by case.
 *
 * The case shown is the one whose verdict is shown, hint included: with the spec's `redraw`, the
 * first case that confirmed a mistake twice (redraw-confirmation.ts), else the minimal case.
 */
import fc from 'fast-check';
import type { OracleRequest, OracleResponse } from '../../shared/protocol.js';
import type { RunOutcome } from '../sandbox.js';
import type { CaseVerdict, Judge } from './case-verdict.js';
import { JudgeFailed, judged } from './judged.js';
import { confirmedVerdict, REDRAWS, type Redraw } from './redraw-confirmation.js';

export type RunRequests = (requests: OracleRequest[]) => Promise<RunOutcome>;

export type PropertyOutcome =
  | { kind: 'passed'; runs: number }
  | { kind: 'failed'; verdict: CaseVerdict; replay: { seed: number; path: string }; shrinkingStopped?: string }
  | { kind: 'aborted'; outcome: Exclude<RunOutcome, { kind: 'answer' }> }
  | { kind: 'not-implemented'; part: string }
  /** A judge threw: the grader failed, not the submission (see judge-failure.ts). */
  | { kind: 'grader-error'; message: string };

export interface PropertySpec<C> {
  arbitrary: fc.Arbitrary<C>;
  toRequest: (testCase: C) => OracleRequest;
  /** The verdict on one answer (case-verdict.ts, Judge). */
  judge: Judge<C>;
  /** The part a response reports as not implemented yet, when it is not a top-level NotImplemented error. */
  notImplemented?: (response: OracleResponse) => string | null;
  /**
   * New values for the shrunk counterexample's structure, to confirm or refute the mistakes the
   * cases fit (redraw-confirmation.ts, Redraw). Without it, the minimal case's verdict is shown as
   * the judge gave it.
   */
  redraw?: Redraw<C>;
  seed: number;
  runs: number;
}

/** Runs of the bound that shrinking leaves to redrawn cases: REDRAWS, but never more than a quarter of the bound. */
function reservedForRedraws(spec: PropertySpec<unknown>, bound: ShrinkBound): number {
  return spec.redraw && Number.isFinite(bound.runs) ? Math.min(REDRAWS, Math.floor(bound.runs / 4)) : 0;
}

/**
 * How far shrinking a failure may go: at most `runs` cases asked of the child, shrunk and redrawn
 * ones together (a few kept for the redrawn ones, see `reservedForRedraws`), and none once
 * `spent()` gives a reason (the submission's budget ran out). The check then still fails, with
 * the smallest counterexample found so far.
 */
export interface ShrinkBound {
  runs: number;
  spent: () => string | null;
}

const UNBOUNDED: ShrinkBound = { runs: Number.POSITIVE_INFINITY, spent: () => null };

class Aborted extends Error {
  constructor(readonly outcome: Exclude<RunOutcome, { kind: 'answer' }>) {
    super(outcome.reason);
  }
}

function notImplementedPart(responses: OracleResponse[], nested?: (response: OracleResponse) => string | null): string | null {
  for (const response of responses) {
    if ('error' in response && response.error.name === 'NotImplemented') return response.error.part ?? response.error.message;
    const part = nested?.(response);
    if (part) return part;
  }
  return null;
}

/**
 * The cases and requests of a property, by arbitrary, seed and runs. Every submission of a run gets
 * the same ones, so they are generated once; the same case objects also let the checks reuse
 * their expected values (see expected-cache.ts).
 */
const sampled = new WeakMap<object, Map<string, { cases: unknown[]; requests: OracleRequest[] }>>();

function sampleCases<C>(spec: PropertySpec<C>): { cases: C[]; requests: OracleRequest[] } {
  let bySeed = sampled.get(spec.arbitrary);
  if (!bySeed) sampled.set(spec.arbitrary, (bySeed = new Map()));
  const key = `${spec.seed}:${spec.runs}`;
  let entry = bySeed.get(key);
  if (!entry) {
    const cases = fc.sample(spec.arbitrary, { seed: spec.seed, numRuns: spec.runs });
    entry = { cases, requests: cases.map(spec.toRequest) };
    bySeed.set(key, entry);
  }
  return entry as { cases: C[]; requests: OracleRequest[] };
}

/** The requests `checkProperty` will send first for `spec` (the very same array). */
export function firstRequests<C>(spec: PropertySpec<C>): OracleRequest[] {
  return sampleCases(spec).requests;
}

export async function checkProperty<C>(spec: PropertySpec<C>, run: RunRequests, bound: ShrinkBound = UNBOUNDED): Promise<PropertyOutcome> {
  const { cases, requests } = sampleCases(spec);
  const outcome = await run(requests);
  if (outcome.kind !== 'answer') return { kind: 'aborted', outcome };
  const part = notImplementedPart(outcome.responses, spec.notImplemented);
  if (part !== null) return { kind: 'not-implemented', part };
  const verdicts: CaseVerdict[] = [];
  for (const [i, testCase] of cases.entries()) {
    const verdict = judged(spec, testCase, outcome.responses[i], false);
    if (verdict instanceof JudgeFailed) return verdict.outcome;
    verdicts.push(verdict);
  }
  const firstFailure = verdicts.findIndex((v) => !v.ok);
  if (firstFailure < 0) return { kind: 'passed', runs: cases.length };

  // Shrink: the answers already known are reused, new cases go to the child one at a time, within
  // the bound. A case that cannot be asked any more is skipped (fc.pre), which fast-check's
  // shrinking takes as "not a smaller counterexample": it stops with the smallest one found.
  const known = new Map<string, OracleResponse>();
  requests.forEach((request, i) => known.set(JSON.stringify(request), outcome.responses[i]));
  let childRuns = 0;
  const reserved = reservedForRedraws(spec as PropertySpec<unknown>, bound);
  const reachedRuns = `it reached ${bound.runs} runs${reserved > 0 ? ` (${reserved} of them kept for redrawn cases)` : ''}`;
  let stopped: string | null = null;
  let aborted: Aborted | null = null;
  /**
   * The child's answer to `testCase`, or null once the bound is reached or the child crashed. A
   * redrawn case counts against the bound like a shrinking one, but does not stop shrinking.
   */
  const ask = async (testCase: C, redrawn = false): Promise<OracleResponse | null> => {
    const request = spec.toRequest(testCase);
    const key = JSON.stringify(request);
    const cached = known.get(key);
    if (cached) return cached;
    const limit = bound.spent() ?? (childRuns >= (redrawn ? bound.runs : bound.runs - reserved) ? reachedRuns : null);
    if (!redrawn) stopped ??= limit;
    // After a crash or a time-out the check is over: no more cases go to the child.
    if ((redrawn ? limit : stopped) !== null || aborted !== null) return null;
    childRuns++;
    const single = await run([request]);
    if (single.kind !== 'answer') {
      const spent = bound.spent();
      if (spent !== null) {
        if (!redrawn) stopped ??= spent;
        return null;
      }
      throw (aborted = new Aborted(single));
    }
    known.set(key, single.responses[0]);
    return single.responses[0];
  };
  const answer = async (testCase: C): Promise<OracleResponse> => {
    const response = await ask(testCase);
    fc.pre(response !== null);
    return response!;
  };
  // Once a judge has thrown on a smaller case, every case holds, so that shrinking stops at once.
  let judgeFailed = null as JudgeFailed | null;
  const holds = async (testCase: C): Promise<boolean> => {
    if (judgeFailed !== null) return true;
    const verdict = judged(spec, testCase, await answer(testCase), false);
    if (verdict instanceof JudgeFailed) judgeFailed = verdict;
    return verdict instanceof JudgeFailed || verdict.ok;
  };
  let details: fc.RunDetails<[C]>;
  try {
    details = await fc.check(fc.asyncProperty(spec.arbitrary, holds), { seed: spec.seed, numRuns: spec.runs, endOnFailure: false });
  } catch (error) {
    if (error instanceof Aborted) return { kind: 'aborted', outcome: error.outcome };
    throw error;
  }
  if (judgeFailed !== null) return judgeFailed.outcome;
  if (details.failed && details.errorInstance instanceof Aborted) return { kind: 'aborted', outcome: details.errorInstance.outcome };
  // fast-check sets errorInstance also when the property merely returned false. Every case that
  // shrinking judged was answered, so the minimal one's answer is known.
  const shrunk = details.failed && details.counterexample ? details.counterexample[0] : undefined;
  const shrunkResponse = shrunk === undefined ? undefined : known.get(JSON.stringify(spec.toRequest(shrunk)));
  const [minimal, minimalVerdict, replay] =
    shrunk !== undefined && shrunkResponse !== undefined
      ? [shrunk, judged(spec, shrunk, shrunkResponse), { seed: spec.seed, path: details.counterexamplePath ?? '' }]
      : [
          cases[firstFailure],
          judged(spec, cases[firstFailure], outcome.responses[firstFailure]),
          { seed: spec.seed, path: String(firstFailure) },
        ];
  if (minimalVerdict instanceof JudgeFailed) return minimalVerdict.outcome;
  // A redrawn case goes unanswered once the bound is reached or the child crashed.
  const askRedrawn = (testCase: C): Promise<OracleResponse | null> =>
    ask(testCase, true).catch((error: unknown) => {
      if (error instanceof Aborted) return null;
      throw error;
    });
  const shown = spec.redraw ? await confirmedVerdict(spec, spec.redraw, minimal, minimalVerdict, askRedrawn) : minimalVerdict;
  if (shown instanceof JudgeFailed) return shown.outcome;
  return { kind: 'failed', verdict: shown, replay, ...(stopped !== null ? { shrinkingStopped: stopped } : {}) };
}
