/**
 * The one-hot view of an encoded row, for the engines that weigh or compare
 * features (logistic regression, nearest neighbours) rather than split on
 * them: a two-bin column (a category value, a hashed word) is one feature,
 * on when its bin is 1; a column of more bins (a binned number, missing
 * included as bin 0) is one feature per bin. A row lights at most one feature
 * per column, so a row has at most `columns` active features.
 */

export interface SparseLayout {
  /** First feature of each column. */
  offsets: Int32Array
  /** 1 when the column is a single on/off feature. */
  binary: Uint8Array
  /** Features in all. */
  dims: number
}

/** Rows of active features (compressed sparse rows): row i's features are `index[start[i] .. start[i + 1])`. */
export interface SparseRows {
  n: number
  dims: number
  start: Int32Array
  index: Int32Array
}

/** The layout of columns with `bins[c]` bins each. */
export function sparseLayout(bins: ArrayLike<number>): SparseLayout {
  const offsets = new Int32Array(bins.length)
  const binary = new Uint8Array(bins.length)
  let dims = 0
  for (let c = 0; c < bins.length; c++) {
    offsets[c] = dims
    const nb = bins[c] as number
    if (nb <= 2) {
      binary[c] = 1
      dims += 1
    } else dims += nb
  }
  return {offsets, binary, dims}
}

/** Writes the active features of one row of bins into `out` (ascending); returns how many. */
export function expandRow(layout: SparseLayout, row: ArrayLike<number>, out: Int32Array): number {
  const {offsets, binary} = layout
  let k = 0
  for (let c = 0; c < offsets.length; c++) {
    const b = row[c] as number
    if (binary[c]) {
      if (b > 0) out[k++] = offsets[c]!
    } else out[k++] = offsets[c]! + b
  }
  return k
}

/** The sparse view of `n` row-major rows of bins. */
export function sparseRows(layout: SparseLayout, rowMajor: Uint8Array, n: number): SparseRows {
  const cols = layout.offsets.length
  const start = new Int32Array(n + 1)
  const scratch = new Int32Array(cols)
  const parts: Int32Array[] = []
  let total = 0
  for (let i = 0; i < n; i++) {
    const k = expandRow(layout, rowMajor.subarray(i * cols, (i + 1) * cols), scratch)
    parts.push(scratch.slice(0, k))
    total += k
    start[i + 1] = total
  }
  const index = new Int32Array(total)
  parts.forEach((p, i) => {
    index.set(p, start[i]!)
  })
  return {n, dims: layout.dims, start, index}
}
