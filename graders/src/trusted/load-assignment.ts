/**
 * Loads an assignment's registry at start-up: the `assignment` exported by FOLDER/index.ts. Like
 * the graders themselves, it is compiled with esbuild into graders/.build/assignments/ and
 * compiled again only when a file it is built from changes (graders/bin/cached-build.js); each
 * module keeps its own `import.meta.url`, so an assignment finds its files next to its sources.
 * Where no build can be made, the sources are imported as they are, under tsx.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { cachedBuild } from '../../bin/cached-build.js';
import type { AssignmentDefinition } from './assignment.js';
import { InputError } from './input-error.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const BUILDS = join(ROOT, 'graders', '.build', 'assignments');

/** A folder given as an assignment that is none, or whose registry cannot be loaded. */
export class AssignmentError extends InputError {
  override name = 'AssignmentError';
  constructor(code: `E_ASSIGNMENT_${string}`, message: string) {
    super(code, message);
  }
}

/** The assignment defined in `folder` (its index.ts exports `assignment`). */
export async function loadAssignment(folder: string): Promise<AssignmentDefinition> {
  const entry = resolve(folder, 'index.ts');
  if (!existsSync(entry)) {
    const expected = `expected ${entry}, which exports the assignment's parts`;
    throw new AssignmentError('E_ASSIGNMENT_NOT_FOUND', `${folder} is not an assignment: ${expected}`);
  }
  const into = join(BUILDS, createHash('sha256').update(entry).digest('hex').slice(0, 16));
  let loaded: { assignment?: AssignmentDefinition };
  try {
    loaded = (await import(pathToFileURL(await cachedBuild({ root: ROOT, entry, into, name: 'index' })).href)) as typeof loaded;
  } catch (error) {
    // No build (a read-only folder, no esbuild): the sources themselves, which a TypeScript loader (tsx) can import.
    try {
      loaded = (await import(pathToFileURL(entry).href)) as typeof loaded;
    } catch {
      throw new AssignmentError('E_ASSIGNMENT_COMPILE', `cannot compile ${entry}: ${(error as Error).message}`);
    }
  }
  if (!loaded.assignment || !Array.isArray(loaded.assignment.parts)) {
    throw new AssignmentError('E_ASSIGNMENT_EXPORT', `${entry} does not export \`assignment\` (made with defineAssignment)`);
  }
  return loaded.assignment;
}
