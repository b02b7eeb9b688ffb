/** Summary of repeated measurements of one quantity. */
export interface Summary {
  readonly median: number
  readonly min: number
  readonly max: number
  readonly runs: number
}

export const median = (values: ReadonlyArray<number>): number => {
  if (values.length === 0) {
    return Number.NaN
  }
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

export const summarize = (values: ReadonlyArray<number>): Summary => ({
  median: median(values),
  min: Math.min(...values),
  max: Math.max(...values),
  runs: values.length
})

/**
 * Returns the median of the ratios `values[i] / references[i]`. Each pair comes from the same round, so a
 * load change between rounds moves both sides of a ratio together.
 */
export const pairedRatio = (values: ReadonlyArray<number>, references: ReadonlyArray<number>): number => {
  if (values.length !== references.length) {
    throw new Error(`cannot pair ${values.length} measurements with ${references.length}`)
  }
  return median(values.map((value, i) => value / references[i]))
}

/** The value at quantile `q` (0 to 1) of `values`, by the nearest-rank method. */
export const quantile = (values: ArrayLike<number>, count: number, q: number): number => {
  const sorted = Float64Array.from({ length: count }, (_, i) => values[i]).sort()
  return sorted[Math.min(count - 1, Math.max(0, Math.ceil(q * count) - 1))]
}
