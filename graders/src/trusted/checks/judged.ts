/**
 * Running a property's judge so that nothing it throws escapes: a judge that throws gives a
 * JudgeFailed instead of a verdict, and the check's outcome is a grader error (judge-failure.ts).
 */
import type { OracleResponse } from '../../shared/protocol.js';
import type { CaseVerdict, Judge } from './case-verdict.js';
import { judgeFailureMessage } from './judge-failure.js';

/** What a judge that threw gives instead of a verdict: the check's outcome is a grader error. */
export class JudgeFailed {
  readonly outcome: { kind: 'grader-error'; message: string };
  constructor(error: unknown) {
    this.outcome = { kind: 'grader-error', message: judgeFailureMessage(error) };
  }
}

/** `spec.judge` on one case; nothing it throws escapes. */
export function judged<C>(spec: { judge: Judge<C> }, testCase: C, response: OracleResponse, explain = true): CaseVerdict | JudgeFailed {
  try {
    return spec.judge(testCase, response, explain);
  } catch (error) {
    return new JudgeFailed(error);
  }
}
