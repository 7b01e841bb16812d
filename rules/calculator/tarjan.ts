/**
 * Strongly connected components of the product graph (edge j → i when product j consumes i), to
 * tell which products sit in loops. Iterative Tarjan: product systems can be deep chains and a
 * recursive walk would overflow the stack.
 */
export function productsInLoops(n: number, edgesFrom: ReadonlyArray<readonly number[]>, selfLoop: Uint8Array): Uint8Array {
  const inLoop = new Uint8Array(n);
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const stack: number[] = [];
  const callStack: Array<[node: number, edge: number]> = [];
  let counter = 0;
  for (let start = 0; start < n; start++) {
    if (index[start] !== -1) continue;
    callStack.push([start, 0]);
    while (callStack.length > 0) {
      const frame = callStack[callStack.length - 1];
      if (!frame) break;
      const [v, e] = frame;
      if (e === 0 && index[v] === -1) {
        index[v] = low[v] = counter++;
        stack.push(v);
        onStack[v] = 1;
      }
      const out = edgesFrom[v] ?? [];
      if (e < out.length) {
        frame[1] = e + 1;
        const w = out[e] ?? 0;
        if (index[w] === -1) callStack.push([w, 0]);
        else if (onStack[w]) low[v] = Math.min(low[v] ?? 0, index[w] ?? 0);
        continue;
      }
      callStack.pop();
      const parent = callStack[callStack.length - 1];
      if (parent) low[parent[0]] = Math.min(low[parent[0]] ?? 0, low[v] ?? 0);
      if (low[v] === index[v]) {
        const component: number[] = [];
        let w: number;
        do {
          w = stack.pop() ?? v;
          onStack[w] = 0;
          component.push(w);
        } while (w !== v);
        if (component.length > 1 || selfLoop[v]) for (const c of component) inLoop[c] = 1;
      }
    }
  }
  return inLoop;
}
