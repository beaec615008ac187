/** The middle value of the sorted samples (the upper one of the two middles for an even count): robust to one noisy round. */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) throw new Error('median of no samples');
  return [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
}
