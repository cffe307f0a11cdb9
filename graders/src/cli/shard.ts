/**
 * `grade --shard K/N`: the K-th of N slices of a class, so that N machines (a CI matrix) can grade
 * one class together and `grade merge` can join their outputs. The slice depends only on the ids
 * (folder names): sorted by code unit, the submission at index i belongs to slice i % N + 1, so
 * every runner computes the same slices from the same folder list, in any order.
 */
import { submissionId as idOf } from '../trusted/submission-ids.js';

export interface Shard {
  /** 1-based. */
  index: number;
  count: number;
}

/** Parses "K/N"; null when the text is not of that form with 1 <= K <= N. */
export function parseShard(text: string): Shard | null {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (!match) return null;
  const index = Number(match[1]);
  const count = Number(match[2]);
  return index >= 1 && count >= 1 && index <= count ? { index, count } : null;
}

/** The folders of one slice, in id order. */
export function selectShard(folders: readonly string[], shard: Shard): string[] {
  const sorted = [...folders].sort((a, b) => {
    const x = idOf(a);
    const y = idOf(b);
    return x < y ? -1 : x > y ? 1 : a < b ? -1 : a > b ? 1 : 0;
  });
  return sorted.filter((_, i) => i % shard.count === shard.index - 1);
}
