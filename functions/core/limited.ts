/**
 * Runs async work over many inputs with at most `limit` in flight: enough to hide a store's
 * latency, few enough not to flood it (a reviewer of every region reads 83 queues; a CSV import
 * writes hundreds of batches).
 *
 * @example const pages = await mapLimited(regions, 8, (r) => prices.pendingInRegion(r, page))
 */
export async function mapLimited<T, R>(
  inputs: readonly T[],
  limit: number,
  task: (input: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(inputs.length);
  let next = 0;
  const worker = async () => {
    while (next < inputs.length) {
      const i = next++;
      results[i] = await task(inputs[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), inputs.length) }, worker));
  return results;
}
