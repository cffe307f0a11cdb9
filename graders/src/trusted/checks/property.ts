/**
 * Runs one property-based check against the child. The cases come from a fast-check arbitrary
 * and the part's seed. All of them go to the child in one message; the parent judges every
 * answer. Only when a case fails does fast-check replay the property (same seed, so the same
 * cases) and shrink it to a minimal counterexample, asking the child case by case.
 *
 * The case shown is the one whose verdict is shown, hint included. A mistake is named only when
 * two cases confirm it (confirmed-mistake.ts): the minimal case and redrawn ones (the spec's
 * `redraw`: the same structure, new values), since a minimal case is often too degenerate to tell
 * mistakes apart, and one case can fit a mistake by chance. The first case that confirmed it is
 * shown; when no mistake is confirmed twice, the minimal case is, with what differs and no cause.
 */
import fc from 'fast-check';
import type { OracleRequest, OracleResponse } from '../../shared/protocol.js';
import type { RunOutcome } from '../sandbox.js';
import type { CheckResult, Counterexample } from '../result.js';
import { judgeFailureMessage } from './judge-failure.js';
import { seededRandom } from './seeded-random.js';

export interface CaseVerdict {
  ok: boolean;
  message?: string;
  /** The confirmed mistake's hint; without a diagnosis, what differs (never a cause). */
  hint?: string;
  /** A mistake confirmed on this very case (confirmed-mistake.ts). */
  diagnosis?: string;
  /** What differs, said without a cause: the hint when the diagnosis is not confirmed again. */
  differs?: string;
  counterexample?: Counterexample;
}

/** A failed verdict's hint: the confirmed mistake's, else what differs; `differs` is kept for checkProperty. */
export function explained(
  named: { diagnosis: string; hint: string } | undefined,
  differs: string | undefined,
): Pick<CaseVerdict, 'diagnosis' | 'hint' | 'differs'> {
  return { ...(named ?? (differs !== undefined ? { hint: differs } : {})), ...(differs !== undefined ? { differs } : {}) };
}

/** `verdict` with its diagnosis taken back: the hint says what differs, or nothing. */
function unconfirmed(verdict: CaseVerdict): CaseVerdict {
  const { diagnosis: _diagnosis, hint: _hint, differs, ...rest } = verdict;
  return { ...rest, ...(differs !== undefined ? { hint: differs, differs } : {}) };
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
  /**
   * The verdict on one answer. With `explain` false the case is only being sorted into passing
   * and failing (the sampled cases, shrinking), and a failure need not say why: no diagnosis, hint
   * or what differs. The minimal and redrawn cases are judged with it true (the default).
   */
  judge: (testCase: C, response: OracleResponse, explain?: boolean) => CaseVerdict;
  /** The part a response reports as not implemented yet, when it is not a top-level NotImplemented error. */
  notImplemented?: (response: OracleResponse) => string | null;
  /**
   * A case with the structure of the shrunk counterexample `minimal` (its shapes, graph, axes,
   * stride, and the places of exact zeros that a convention depends on) and new values, readable
   * and of magnitudes at which the known mistakes disagree. `random` gives numbers in [0, 1) that
   * depend only on the check's seed and `attempt` (0, 1, ...), so the same seed redraws the same
   * cases. After a failure, at most REDRAWS of them confirm or refute the mistakes the cases fit.
   * Without it, the minimal case's verdict is shown as the judge gave it.
   */
  redraw?: (minimal: C, random: () => number, attempt: number) => C;
  seed: number;
  runs: number;
}

/** How many redrawn cases a failed check tries, each one run in the child. */
export const REDRAWS = 4;

/** How many cases must confirm a mistake (the minimal one and redrawn ones) before a hint names it. */
export const CONFIRMATIONS = 2;

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

/** What a judge that threw gives instead of a verdict: the check's outcome is a grader error. */
class JudgeFailed {
  readonly outcome: PropertyOutcome;
  constructor(error: unknown) {
    this.outcome = { kind: 'grader-error', message: judgeFailureMessage(error) };
  }
}

/** `spec.judge` on one case; nothing it throws escapes. */
function judged<C>(spec: PropertySpec<C>, testCase: C, response: OracleResponse, explain = true): CaseVerdict | JudgeFailed {
  try {
    return spec.judge(testCase, response, explain);
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
      : [cases[firstFailure], judged(spec, cases[firstFailure], outcome.responses[firstFailure]), { seed: spec.seed, path: String(firstFailure) }];
  if (minimalVerdict instanceof JudgeFailed) return minimalVerdict.outcome;
  const shown = spec.redraw ? await confirmedVerdict(spec, spec.redraw, minimal, minimalVerdict, ask) : minimalVerdict;
  if (shown instanceof JudgeFailed) return shown.outcome;
  return { kind: 'failed', verdict: shown, replay, ...(stopped !== null ? { shrinkingStopped: stopped } : {}) };
}

/**
 * The verdict to show: that of the first case (the minimal one, then redrawn ones) that confirmed
 * the first mistake to be confirmed CONFIRMATIONS times, or else the minimal case's, without a
 * diagnosis. Redrawing stops there, after REDRAWS attempts, at the bound, or when the child
 * crashes. Each verdict comes with its own case, so a hint is always shown beside a case that
 * confirmed it.
 */
async function confirmedVerdict<C>(
  spec: PropertySpec<C>,
  redraw: NonNullable<PropertySpec<C>['redraw']>,
  minimal: C,
  minimalVerdict: CaseVerdict,
  ask: (testCase: C, redrawn: boolean) => Promise<OracleResponse | null>,
): Promise<CaseVerdict | JudgeFailed> {
  const confirmations = new Map<string, { first: CaseVerdict; count: number }>();
  const confirmedTwice = (verdict: CaseVerdict): CaseVerdict | undefined => {
    if (verdict.ok || verdict.diagnosis === undefined) return undefined;
    const seen = confirmations.get(verdict.diagnosis) ?? { first: verdict, count: 0 };
    confirmations.set(verdict.diagnosis, { ...seen, count: seen.count + 1 });
    return seen.count + 1 >= CONFIRMATIONS ? seen.first : undefined;
  };
  let shown = confirmedTwice(minimalVerdict);
  // Only another case confirms again: a redraw that repeats one is skipped.
  const tried = new Set([JSON.stringify(spec.toRequest(minimal))]);
  for (let attempt = 0; shown === undefined && attempt < REDRAWS; attempt++) {
    const redrawn = redraw(minimal, seededRandom(spec.seed, attempt), attempt);
    const key = JSON.stringify(spec.toRequest(redrawn));
    if (tried.has(key)) continue;
    tried.add(key);
    let response: OracleResponse | null;
    try {
      response = await ask(redrawn, true);
    } catch (error) {
      // The child crashed on a redrawn case: what was confirmed so far stands.
      if (error instanceof Aborted) break;
      throw error;
    }
    if (response === null) break;
    const verdict = judged(spec, redrawn, response);
    if (verdict instanceof JudgeFailed) return verdict;
    shown = confirmedTwice(markedRedrawn(verdict));
  }
  return shown ?? unconfirmed(minimalVerdict);
}

/** A redrawn case's verdict, its counterexample marked as not the smallest one (Counterexample.redrawn). */
function markedRedrawn(verdict: CaseVerdict): CaseVerdict {
  return verdict.ok || !verdict.counterexample ? verdict : { ...verdict, counterexample: { ...verdict.counterexample, redrawn: true } };
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
