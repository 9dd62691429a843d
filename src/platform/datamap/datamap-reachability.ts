import type { CollectionAddress, DataMap, ReferenceEdge } from './datamap-types.ts';

export function collectionKey(address: CollectionAddress): string {
  return `${address.system}.${address.collection}`;
}

/** Whether the edge lets a traversal go from its target to its holder (`from`) or back (`to`). */
export function traversals(edge: ReferenceEdge): { from: CollectionAddress; to: CollectionAddress }[] {
  const forward = { from: edge.target, to: edge.holder };
  const backward = { from: edge.holder, to: edge.target };
  if (edge.direction === 'from') return [forward];
  if (edge.direction === 'to') return [backward];
  return [forward, backward];
}

/**
 * Every collection a request could reach: those with an identity field, plus everything their
 * references lead to in the direction each reference allows. Keys are `system.collection`.
 */
export function reachableCollections(dataMap: DataMap): Set<string> {
  const reached = new Set<string>();
  const queue: string[] = [];
  for (const system of dataMap.systems) {
    for (const collection of system.collections) {
      if (collection.fields.some((f) => f.identity)) {
        const key = collectionKey({ system: system.id, collection: collection.name });
        reached.add(key);
        queue.push(key);
      }
    }
  }
  const next = new Map<string, string[]>();
  for (const edge of dataMap.edges) {
    for (const step of traversals(edge)) {
      const from = collectionKey(step.from);
      next.set(from, [...(next.get(from) ?? []), collectionKey(step.to)]);
    }
  }
  while (queue.length) {
    const current = queue.shift() as string;
    for (const neighbour of next.get(current) ?? []) {
      if (reached.has(neighbour)) continue;
      reached.add(neighbour);
      queue.push(neighbour);
    }
  }
  return reached;
}
