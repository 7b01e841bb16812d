/**
 * Approximate minimum degree ordering (after Amestoy, Davis and Duff, "An approximate minimum
 * degree ordering algorithm", SIAM J. Matrix Anal. Appl. 17(4), 1996) for the symmetric pattern
 * of one loop block, A + Aᵀ.
 *
 * Why: Gaussian elimination of a variable joins all of its neighbours into a clique; the entries
 * this adds are fill-in. Eliminating the variable of least degree first keeps that small. Hub
 * products (electricity, transport, heat) touch thousands of processes and are therefore left
 * to the very end, where the damage they can do is bounded by their own row and column.
 *
 * The elimination graph is never formed explicitly. A quotient graph stands in for it:
 *   - a variable i keeps a list of the elements it touches (E_i) followed by the variables it is
 *     still directly joined to (A_i);
 *   - an element e is an eliminated variable standing for the clique of its live neighbours L_e.
 * Eliminating pivot p turns p into an element whose list L_p is the union of A_p and of L_e for
 * every e in E_p; those old elements are absorbed into p. Because each variable in L_p loses p
 * or an absorbed element from its own list, lists never grow and can be rewritten in place; only
 * the new element needs fresh space, taken from the end of one shared pool that is compacted
 * when it runs out.
 *
 * Exact degrees would cost a set union per variable per step, so degrees are bounded instead:
 *   d_i ≤ |A_i \ L_p| + |L_p \ i| + Σ_{e ∈ E_i, e ≠ p} |L_e \ L_p|,
 * and the set differences |L_e \ L_p| for all elements at once come from one pass that starts
 * each w[e] at |L_e| and subtracts the weight of every variable of L_p seen in L_e.
 *
 * Further refinements, all from the paper:
 *   - supervariables: variables with identical lists stay indistinguishable for the rest of the
 *     elimination and are merged (found by hashing list contents); a supervariable of weight k
 *     counts as k in every degree;
 *   - mass elimination: a variable left with nothing outside L_p is eliminated with p;
 *   - aggressive absorption: an element with L_e ⊆ L_p is absorbed into p;
 *   - dense variables are taken out up front and ordered last. The AMD paper's cut-off is
 *     10·√n; technosphere loops have a few hundred hub products (markets, grids, transport)
 *     whose degree sits well below that yet far above everyone else's, and each one kept in the
 *     graph makes every elimination next to it pay for its long list. A cut-off of
 *     DENSE_FACTOR·√n sets them aside: ordering hubs last is also what keeps fill low, since
 *     the loops of an LCA system mostly close through them.
 *
 * Returns the elimination order: order[k] is the k-th variable to eliminate.
 */
const DENSE_FACTOR = 2;

export function approximateMinimumDegree(n: number, adjPtr: Int32Array, adjIdx: Int32Array): Int32Array {
  const order = new Int32Array(n);
  if (n === 0) return order;
  const VARIABLE = 0;
  const ELEMENT = 1;
  const DEAD = 2;

  const nnz = adjPtr[n]!;
  let pool = new Int32Array(Math.max(nnz + (nnz >> 2) + 4 * n, 64));
  pool.set(adjIdx.subarray(0, nnz));
  let free = nnz;
  const start = new Int32Array(n);
  const len = new Int32Array(n);
  const elen = new Int32Array(n); // number of elements at the front of a variable's list
  const weight = new Int32Array(n).fill(1); // supervariable size; element size once eliminated
  const status = new Uint8Array(n);
  const degree = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    start[i] = adjPtr[i]!;
    len[i] = adjPtr[i + 1]! - adjPtr[i]!;
  }

  // Members of a supervariable or of everything eliminated together, as a linked chain.
  const chainNext = new Int32Array(n).fill(-1);
  const chainTail = new Int32Array(n);
  for (let i = 0; i < n; i++) chainTail[i] = i;
  const appendChain = (to: number, from: number): void => {
    chainNext[chainTail[to]!] = from;
    chainTail[to] = chainTail[from]!;
  };

  const denseThreshold = Math.max(16, Math.floor(DENSE_FACTOR * Math.sqrt(n)));
  const isDense = new Uint8Array(n);
  let denseCount = 0;
  for (let i = 0; i < n; i++) {
    if (len[i]! > denseThreshold) {
      isDense[i] = 1;
      denseCount++;
    }
  }
  // Dense variables are simply dead to the algorithm; they come back at the end of the order.
  for (let i = 0; i < n; i++) {
    if (isDense[i]) {
      status[i] = DEAD;
      weight[i] = 0;
    }
  }
  for (let i = 0; i < n; i++) {
    if (isDense[i]) continue;
    let d = 0;
    for (let p = start[i]!, end = p + len[i]!; p < end; p++) if (!isDense[pool[p]!]) d++;
    degree[i] = d;
  }

  // Degree buckets as doubly linked lists.
  const head = new Int32Array(n).fill(-1);
  const next = new Int32Array(n).fill(-1);
  const prev = new Int32Array(n).fill(-1);
  const insert = (i: number, d: number): void => {
    const h = head[d]!;
    next[i] = h;
    prev[i] = -1;
    if (h !== -1) prev[h] = i;
    head[d] = i;
  };
  const remove = (i: number): void => {
    const nx = next[i]!;
    const pv = prev[i]!;
    if (nx !== -1) prev[nx] = pv;
    if (pv !== -1) next[pv] = nx;
    else head[degree[i]!] = nx;
  };
  for (let i = 0; i < n; i++) if (!isDense[i]) insert(i, degree[i]!);

  const inPivotSet = new Int32Array(n).fill(-1); // = step while a variable is in L_p
  const setDiff = new Int32Array(n); // w[e] of the paper, offset by `mark`
  let mark = 1;
  let largestElement = 0;
  const compareMark = new Int32Array(n);
  let compareStamp = 0;
  const hashHead = new Int32Array(n).fill(-1);
  const hashNext = new Int32Array(n);
  const hashOf = new Int32Array(n);

  const total = n - denseCount; // weight to eliminate outside the dense set
  let eliminated = 0;
  let liveVariables = total; // live (non-merged) variable nodes, bounds |L_p|
  let mindeg = 0;
  let emitted = 0;
  let step = 0;

  const compact = (need: number): void => {
    // Move every live list to the front of the pool, in the order they currently sit, so that
    // no list is overwritten before it has been moved.
    const live: number[] = [];
    for (let i = 0; i < n; i++) {
      if ((status[i] === VARIABLE && weight[i]! > 0) || status[i] === ELEMENT) live.push(i);
    }
    live.sort((x, y) => start[x]! - start[y]!);
    let target = pool;
    if (need > pool.length) target = new Int32Array(Math.max(need, pool.length * 2));
    let out = 0;
    for (const i of live) {
      const s = start[i]!;
      const l = len[i]!;
      if (target === pool) pool.copyWithin(out, s, s + l);
      else target.set(pool.subarray(s, s + l), out);
      start[i] = out;
      out += l;
    }
    pool = target;
    free = out;
  };

  while (eliminated < total) {
    // --- pick the variable of least approximate degree
    while (head[mindeg] === -1) mindeg++;
    const p = head[mindeg]!;
    remove(p);
    let pivotWeight = weight[p]!;
    eliminated += pivotWeight;
    liveVariables--;

    // --- form the new element L_p
    const elenP = elen[p]!;
    if (elenP > 0 && free + liveVariables > pool.length) {
      compact(free + liveVariables);
      if (free + liveVariables > pool.length) compact(2 * (free + liveVariables));
    }
    const base = start[p]!;
    const lenP = len[p]!;
    const lpStart = elenP === 0 ? base : free;
    let write = lpStart;
    let lpWeight = 0;
    inPivotSet[p] = step;
    for (let t = 0; t < lenP; t++) {
      const x = pool[base + t]!;
      if (t < elenP) {
        if (status[x] !== ELEMENT) continue;
        for (let q = start[x]!, end = q + len[x]!; q < end; q++) {
          const i = pool[q]!;
          if (status[i] !== VARIABLE || weight[i] === 0 || inPivotSet[i] === step) continue;
          inPivotSet[i] = step;
          lpWeight += weight[i]!;
          pool[write++] = i;
          remove(i);
        }
        status[x] = DEAD; // absorbed into p
      } else {
        const i = x;
        if (status[i] !== VARIABLE || weight[i] === 0 || inPivotSet[i] === step) continue;
        inPivotSet[i] = step;
        lpWeight += weight[i]!;
        pool[write++] = i;
        remove(i);
      }
    }
    const lpEnd = write;
    if (elenP > 0) free = lpEnd;
    start[p] = lpStart;
    len[p] = lpEnd - lpStart;
    status[p] = ELEMENT;

    // --- |L_e \ L_p| for every element touching L_p: setDiff[e] - mark
    for (let k = lpStart; k < lpEnd; k++) {
      const i = pool[k]!;
      const eln = elen[i]!;
      if (eln === 0) continue;
      const wi = weight[i]!;
      for (let q = start[i]!, end = q + eln; q < end; q++) {
        const e = pool[q]!;
        if (status[e] !== ELEMENT) continue;
        if (setDiff[e]! >= mark) setDiff[e]! -= wi;
        else setDiff[e] = weight[e]! + mark - wi;
      }
    }

    // --- degree update, list pruning, aggressive absorption, mass elimination
    for (let k = lpStart; k < lpEnd; k++) {
      const i = pool[k]!;
      const s = start[i]!;
      const eln = elen[i]!;
      const end = s + len[i]!;
      let d = 0;
      let hash = 0;
      let out = s;
      for (let q = s; q < s + eln; q++) {
        const e = pool[q]!;
        if (status[e] !== ELEMENT) continue;
        const external = setDiff[e]! - mark;
        if (external > 0) {
          d += external;
          pool[out++] = e;
          hash += e;
        } else {
          status[e] = DEAD; // L_e ⊆ L_p: aggressive absorption into p
        }
      }
      const elementsKept = out - s;
      for (let q = s + eln; q < end; q++) {
        const j = pool[q]!;
        if (status[j] !== VARIABLE || weight[j] === 0 || inPivotSet[j] === step) continue;
        d += weight[j]!;
        pool[out++] = j;
        hash += j;
      }
      if (d === 0) {
        // Everything i touches lies in L_p: eliminate i together with p.
        const wi = weight[i]!;
        pivotWeight += wi;
        lpWeight -= wi;
        eliminated += wi;
        liveVariables--;
        weight[i] = 0;
        status[i] = DEAD;
        appendChain(p, i);
      } else {
        if (d < degree[i]!) degree[i] = d;
        // Put p first: [p, kept elements, kept variables]. One slot was freed because i lost
        // either p (as a variable) or an element absorbed into p.
        const kept = out - s;
        pool[s + kept] = pool[s + elementsKept]!;
        pool[s + elementsKept] = pool[s]!;
        pool[s] = p;
        elen[i] = elementsKept + 1;
        len[i] = kept + 1;
        const h = (hash + p) % n;
        hashOf[i] = h;
        hashNext[i] = hashHead[h]!;
        hashHead[h] = i;
      }
    }
    weight[p] = lpWeight; // from now on weight[p] is |L_p|, the element size

    // --- supervariable detection among the variables of L_p
    for (let k = lpStart; k < lpEnd; k++) {
      const first = pool[k]!;
      if (weight[first] === 0) continue;
      const h = hashOf[first]!;
      let i = hashHead[h]!;
      if (i === -1) continue;
      hashHead[h] = -1;
      for (; i !== -1; i = hashNext[i]!) {
        if (weight[i] === 0) continue;
        const si = start[i]!;
        const li = len[i]!;
        const ei = elen[i]!;
        if (hashNext[i] === -1) break; // a lone variable in its bucket has nothing to match
        compareStamp++;
        for (let q = si; q < si + li; q++) compareMark[pool[q]!] = compareStamp;
        let last = i;
        for (let j = hashNext[i]!; j !== -1; j = hashNext[j]!) {
          let same = weight[j]! > 0 && len[j] === li && elen[j] === ei;
          if (same) {
            for (let q = start[j]!, end = q + li; q < end; q++) {
              if (compareMark[pool[q]!] !== compareStamp) {
                same = false;
                break;
              }
            }
          }
          if (same) {
            weight[i]! += weight[j]!;
            weight[j] = 0;
            status[j] = DEAD;
            liveVariables--;
            appendChain(i, j);
            hashNext[last] = hashNext[j]!;
          } else {
            last = j;
          }
        }
      }
    }

    // --- finalise L_p: drop merged variables, re-bucket the survivors
    let keep = lpStart;
    const remaining = total - eliminated;
    for (let k = lpStart; k < lpEnd; k++) {
      const i = pool[k]!;
      const wi = weight[i]!;
      if (wi === 0) continue;
      let d = degree[i]! + lpWeight - wi;
      if (d > remaining - wi) d = remaining - wi;
      degree[i] = d;
      insert(i, d);
      if (d < mindeg) mindeg = d;
      pool[keep++] = i;
    }
    len[p] = keep - lpStart;
    if (elenP > 0) free = keep;
    if (len[p] === 0) status[p] = DEAD;

    for (let i = p; i !== -1; i = chainNext[i]!) order[emitted++] = i;

    // Every setDiff written this step is below mark + (largest element size so far).
    if (lpWeight > largestElement) largestElement = lpWeight;
    mark += largestElement + 1;
    if (mark > 0x3fffffff - n) {
      setDiff.fill(0);
      mark = 1;
    }
    step++;
  }

  for (let i = 0; i < n; i++) if (isDense[i]) order[emitted++] = i;
  return order;
}
