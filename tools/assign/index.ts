/** Generation of the student skeleton from the reference solution. */
export { MarkerError } from './marker-error.js';
export { markerSyntaxFor, type MarkerSyntax } from './marker-syntax.js';
export { stripSolutions } from './strip-solutions.js';
export { ensureNotImplementedImport, notImplementedSpecifier } from './not-implemented-import.js';
export { answerTemplate, formatAnswerJson, isJsonAnswerFile } from './answer-templates.js';
export {
  MissingReferenceFile,
  buildSkeleton,
  copiedPaths,
  studentVersion,
  skeletonPackageName,
  type SkeletonFiles,
} from './skeleton-contents.js';
export { diffSkeleton, type SkeletonDifference } from './skeleton-diff.js';
export { writeSkeleton } from './skeleton-writer.js';
export { generateSkeleton, type GenerateOptions } from './generate-skeleton.js';
