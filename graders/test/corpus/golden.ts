/**
 * What a class's grading must keep when the grader's code is reorganised: per submission and
 * part, the points, the status, the reason and each check's name, points, message, diagnosis and
 * hint. The projections of the demo class and the corpora are kept in golden/*.json; a test
 * compares each new run with them. `UPDATE_GOLDEN=1` rewrites them, for a change of behaviour
 * made on purpose (review the diff).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ClassResult } from '../../src/trusted/result.js';

const GOLDEN = fileURLToPath(new URL('./golden/', import.meta.url));

export function behaviourOf(result: ClassResult): unknown {
  return result.submissions.map((submission) => ({
    id: submission.id,
    total: submission.total,
    status: submission.status,
    parts: submission.parts.map((part) => ({
      id: part.id,
      points: part.points,
      status: part.status,
      ...(part.reason === undefined ? {} : { reason: part.reason }),
      checks: part.checks.map((check) => ({
        name: check.name,
        points: check.points,
        message: check.message,
        ...(check.diagnosis === undefined ? {} : { diagnosis: check.diagnosis }),
        ...(check.hint === undefined ? {} : { hint: check.hint }),
      })),
    })),
  }));
}

/** The kept projection named `name` (with `UPDATE_GOLDEN=1`: `result`'s, written first). */
export function goldenBehaviour(name: string, result: ClassResult): unknown {
  const path = join(GOLDEN, `${name}.json`);
  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(path, `${JSON.stringify(behaviourOf(result), null, 1)}\n`);
  if (!existsSync(path)) throw new Error(`${path} is missing; write it with UPDATE_GOLDEN=1 and review it`);
  return JSON.parse(readFileSync(path, 'utf8')) as unknown;
}
