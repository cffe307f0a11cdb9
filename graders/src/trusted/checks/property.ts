/**
 * Runs one property-based check against the child. The cases come from a fast-check arbitrary
 * and the part's seed. All of them go to the child in one message; the parent judges every
 * answer. Only when a case fails does fast-check replay the property (same seed, so the same
 * cases) and shrink it to a minimal counterexample, asking the child case by case.
 */
import fc from 'fast-check';
import type { OracleRequest, OracleResponse } from '../../shared/protocol.js';
import type { RunOutcome } from '../sandbox.js';
import type { CheckResult, Counterexample } from '../result.js';
import { judgeFailureMessage } from './judge-failure.js';

export interface CaseVerdict {
  ok: boolean;
  message?: string;
  hint?: string;
  diagnosis?: string;
  counterexample?: Counterexample;
}

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
  judge: (testCase: C, response: OracleResponse) => CaseVerdict;
  /** The part a response reports as not implemented yet, when it is not a top-level NotImplemented error. */
  notImplemented?: (response: OracleResponse) => string | null;
  seed: number;
  runs: number;
}

/**
 * How far shrinking a failure may go: at most `runs` cases asked of the child, and none once
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

/** What a judge that threw gives instead of a verdict: the check's outcome is a grader error. */
class JudgeFailed {
  readonly outcome: PropertyOutcome;
  constructor(error: unknown) {
    this.outcome = { kind: 'grader-error', message: judgeFailureMessage(error) };
  }
}

/** `spec.judge` on one case; nothing it throws escapes. */
function judged<C>(spec: PropertySpec<C>, testCase: C, response: OracleResponse): CaseVerdict | JudgeFailed {
  try {
    return spec.judge(testCase, response);
  } catch (error) {
    return new JudgeFailed(error);
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
    const verdict = judged(spec, testCase, outcome.responses[i]);
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
  let shrinkRuns = 0;
  let stopped: string | null = null;
  let aborted: Aborted | null = null;
  const answer = async (testCase: C): Promise<OracleResponse> => {
    const request = spec.toRequest(testCase);
    const key = JSON.stringify(request);
    const cached = known.get(key);
    if (cached) return cached;
    stopped ??= bound.spent() ?? (shrinkRuns >= bound.runs ? `it reached ${bound.runs} runs` : null);
    // After a crash or a time-out the check is over: no more cases go to the child.
    fc.pre(stopped === null && aborted === null);
    shrinkRuns++;
    const single = await run([request]);
    if (single.kind !== 'answer') {
      stopped ??= bound.spent();
      fc.pre(stopped === null);
      throw (aborted = new Aborted(single));
    }
    known.set(key, single.responses[0]);
    return single.responses[0];
  };
  // Once a judge has thrown on a smaller case, every case holds, so that shrinking stops at once.
  let judgeFailed = null as JudgeFailed | null;
  const holds = async (testCase: C): Promise<boolean> => {
    if (judgeFailed !== null) return true;
    const verdict = judged(spec, testCase, await answer(testCase));
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
  // A small case can fit several known mistakes at once (on x = [-1] a ReLU with no mask and one
  // with an inverted mask agree), and a check then names none; larger random cases rarely do, so
  // the first sampled case that names a mistake gives the diagnosis, shown beside the minimal
  // counterexample (with the minimal case's own hint when it names the same mistake).
  const first = verdicts.find((v) => !v.ok && v.diagnosis !== undefined);
  const named = (verdict: CaseVerdict): CaseVerdict =>
    first === undefined || verdict.diagnosis === first.diagnosis ? verdict : { ...verdict, diagnosis: first.diagnosis, hint: first.hint };
  // fast-check sets errorInstance also when the property merely returned false.
  if (details.failed && details.counterexample) {
    const minimal = details.counterexample[0];
    const verdict = judged(spec, minimal, await answer(minimal));
    if (verdict instanceof JudgeFailed) return verdict.outcome;
    const replay = { seed: spec.seed, path: details.counterexamplePath ?? '' };
    return { kind: 'failed', verdict: named(verdict), replay, ...(stopped !== null ? { shrinkingStopped: stopped } : {}) };
  }
  return { kind: 'failed', verdict: named(verdicts[firstFailure]), replay: { seed: spec.seed, path: String(firstFailure) } };
}

/** Why a counterexample may not be the smallest, in the check's message. */
const shrinkingStoppedNote = (why: string): string => `shrinking stopped early, as ${why}: a smaller failing case may exist`;

/** Turns a property outcome into a check result worth `max` points. */
export function checkResult(name: string, max: number, outcome: PropertyOutcome, passedMessage: string): CheckResult {
  switch (outcome.kind) {
    case 'passed':
      return { name, passed: true, points: max, max, message: `${passedMessage} (${outcome.runs} random cases)` };
    case 'failed': {
      const v = outcome.verdict;
      return {
        name,
        passed: false,
        points: 0,
        max,
        message: `${v.message ?? 'failed'}${outcome.shrinkingStopped ? ` (${shrinkingStoppedNote(outcome.shrinkingStopped)})` : ''}`,
        ...(v.hint ? { hint: v.hint } : {}),
        ...(v.diagnosis ? { diagnosis: v.diagnosis } : {}),
        ...(v.counterexample ? { counterexample: v.counterexample } : {}),
        replay: outcome.replay,
      };
    }
    case 'not-implemented':
      return { name, passed: false, points: 0, max, message: `${outcome.part} is not implemented yet` };
    case 'aborted':
      return { name, passed: false, points: 0, max, message: outcome.outcome.reason };
    case 'grader-error':
      return { name, passed: false, points: 0, max, message: `the grader failed while judging this check: ${outcome.message}` };
  }
}
