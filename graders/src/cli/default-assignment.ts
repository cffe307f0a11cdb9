/** The assignment `grade` grades when no --assignment is given: a folder, loaded at start-up. */
import { fileURLToPath } from 'node:url';

export const DEFAULT_ASSIGNMENT = fileURLToPath(new URL('../assignments/assignment-11', import.meta.url));
