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
  | { kind: 'failed'; verdict: CaseVerdict; replay: { seed: number; path: string } }
  | { kind: 'aborted'; outcome: Exclude<RunOutcome, { kind: 'answer' }> }
  | { kind: 'not-implemented'; part: string };

export interface PropertySpec<C> {
  arbitrary: fc.Arbitrary<C>;
  toRequest: (testCase: C) => OracleRequest;
  judge: (testCase: C, response: OracleResponse) => CaseVerdict;
  /** The part a response reports as not implemented yet, when it is not a top-level NotImplemented error. */
  notImplemented?: (response: OracleResponse) => string | null;
  seed: number;
  runs: number;
}

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

export async function checkProperty<C>(spec: PropertySpec<C>, run: RunRequests): Promise<PropertyOutcome> {
  const { cases, requests } = sampleCases(spec);
  const outcome = await run(requests);
  if (outcome.kind !== 'answer') return { kind: 'aborted', outcome };
  const part = notImplementedPart(outcome.responses, spec.notImplemented);
  if (part !== null) return { kind: 'not-implemented', part };
  const verdicts = cases.map((testCase, i) => spec.judge(testCase, outcome.responses[i]));
  const firstFailure = verdicts.findIndex((v) => !v.ok);
  if (firstFailure < 0) return { kind: 'passed', runs: cases.length };

  // Shrink: the answers already known are reused, new cases go to the child one at a time.
  const known = new Map<string, OracleResponse>();
  requests.forEach((request, i) => known.set(JSON.stringify(request), outcome.responses[i]));
  const answer = async (testCase: C): Promise<OracleResponse> => {
    const request = spec.toRequest(testCase);
    const key = JSON.stringify(request);
    const cached = known.get(key);
    if (cached) return cached;
    const single = await run([request]);
    if (single.kind !== 'answer') throw new Aborted(single);
    known.set(key, single.responses[0]);
    return single.responses[0];
  };
  let details: fc.RunDetails<[C]>;
  try {
    details = await fc.check(
      fc.asyncProperty(spec.arbitrary, async (testCase) => spec.judge(testCase, await answer(testCase)).ok),
      { seed: spec.seed, numRuns: spec.runs, endOnFailure: false },
    );
  } catch (error) {
    if (error instanceof Aborted) return { kind: 'aborted', outcome: error.outcome };
    throw error;
  }
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
    const verdict = spec.judge(minimal, await answer(minimal));
    return { kind: 'failed', verdict: named(verdict), replay: { seed: spec.seed, path: details.counterexamplePath ?? '' } };
  }
  return { kind: 'failed', verdict: named(verdicts[firstFailure]), replay: { seed: spec.seed, path: String(firstFailure) } };
}

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
        message: v.message ?? 'failed',
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
  }
}
