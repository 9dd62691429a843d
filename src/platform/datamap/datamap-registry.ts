import { collectionKey } from './datamap-reachability.ts';
import { BUILT_IN_IDENTITIES } from './build-datamap.ts';
import type {
  CollectionAddress,
  DataMap,
  DataMapCollection,
  DataMapField,
  DataMapRegistry,
  DataMapSystem,
  DataMapView,
  FieldAddress,
  IdentityDefinition,
  ReferenceEdge,
} from './datamap-types.ts';
import { effectiveErasure } from './effective-erasure.ts';

/** Wraps validated data maps (one per tenant) in lookups. Tenants without a map see an empty one. */
export function createDataMapRegistry(dataMaps: readonly DataMap[]): DataMapRegistry {
  const views = new Map(dataMaps.map((dataMap) => [dataMap.tenant, createDataMapView(dataMap)]));
  return {
    tenants: () => [...views.keys()].sort(),
    forTenant(tenantId) {
      let view = views.get(tenantId);
      if (!view) {
        view = createDataMapView(emptyDataMap(tenantId));
        views.set(tenantId, view);
      }
      return view;
    },
  };
}

export function emptyDataMap(tenant: string): DataMap {
  return { tenant, systems: [], identities: [...BUILT_IN_IDENTITIES], edges: [], sources: [] };
}

export function createDataMapView(dataMap: DataMap): DataMapView {
  const systems = new Map<string, DataMapSystem>(dataMap.systems.map((s) => [s.id, s]));
  const collections = new Map<string, DataMapCollection>();
  const edgesByCollection = new Map<string, ReferenceEdge[]>();
  const identityFields = new Map<string, FieldAddress[]>();
  for (const system of dataMap.systems) {
    for (const collection of system.collections) {
      collections.set(collectionKey({ system: system.id, collection: collection.name }), collection);
      for (const field of collection.fields) {
        if (!field.identity) continue;
        const list = identityFields.get(field.identity) ?? [];
        list.push({ system: system.id, collection: collection.name, field: field.name });
        identityFields.set(field.identity, list);
      }
    }
  }
  for (const edge of dataMap.edges) {
    for (const key of new Set([collectionKey(edge.holder), collectionKey(edge.target)])) {
      edgesByCollection.set(key, [...(edgesByCollection.get(key) ?? []), edge]);
    }
  }
  const identities = new Map(dataMap.identities.map((i) => [i.name, i]));
  const field = (address: FieldAddress): DataMapField | undefined =>
    collections.get(collectionKey(address))?.fields.find((f) => f.name === address.field);
  return {
    dataMap,
    system: (id) => systems.get(id),
    collection: (address: CollectionAddress) => collections.get(collectionKey(address)),
    field,
    edgesOf: (address) => edgesByCollection.get(collectionKey(address)) ?? [],
    identityFields: (identity) => identityFields.get(identity) ?? [],
    identity: (name): IdentityDefinition => identities.get(name) ?? { name, match: 'exact' },
    effectiveErasure(address) {
      const collection = collections.get(collectionKey(address));
      const found = collection?.fields.find((f) => f.name === address.field);
      return collection && found ? effectiveErasure(collection, found) : undefined;
    },
  };
}
