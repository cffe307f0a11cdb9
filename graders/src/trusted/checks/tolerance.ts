/**
 * The comparison rule for gradients, as torch.autograd.gradcheck: an analytic value a passes
 * against a numerical value n when |a - n| <= atol + rtol * |n|.
 */
export interface Tolerance {
  atol: number;
  rtol: number;
}

export function isClose(analytic: number, numerical: number, tolerance: Tolerance): boolean {
  if (!Number.isFinite(analytic) || !Number.isFinite(numerical)) return false;
  return Math.abs(analytic - numerical) <= tolerance.atol + tolerance.rtol * Math.abs(numerical);
}

/** The index of the first element that is not close, or -1 when all are. */
export function firstMismatch(analytic: ArrayLike<number>, numerical: ArrayLike<number>, tolerance: Tolerance): number {
  for (let i = 0; i < numerical.length; i++) if (!isClose(analytic[i], numerical[i], tolerance)) return i;
  return -1;
}
