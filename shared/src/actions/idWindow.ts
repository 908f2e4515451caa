// The ids a list action reads: `limit` ids (default 20) from `beforeId` (default
// the newest) downwards; ids start at 1.

export function idWindow(count: bigint, p: { limit?: number; beforeId?: bigint }): bigint[] {
  const limit = p.limit ?? 20;
  if (!Number.isInteger(limit) || limit < 1)
    throw new RangeError(`limit must be a positive integer, got ${limit}`);
  const top = p.beforeId === undefined || p.beforeId > count ? count : p.beforeId;
  const ids: bigint[] = [];
  for (let id = top; id >= 1n && ids.length < limit; id--) ids.push(id);
  return ids;
}
