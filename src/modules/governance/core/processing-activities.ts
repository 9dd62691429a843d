import type {
  DataMap,
  DataMapCollection,
  DataMapSystem,
  LegalBasis,
} from '../../../platform/datamap/datamap-types.ts';
import type { SourceLocation, DataMapLocations } from './source-location.ts';

/** A collection (or some of its fields) serving an activity's purpose. */
export interface ActivityCollection {
  system: string;
  collection: string;
  /** Personal data categories of the fields that serve the purpose. */
  categories: string[];
  dataSubjects: string[];
  /** Where the purpose is declared. */
  location: SourceLocation;
}

/**
 * A processing activity as the data map describes it: one purpose (a data use of the taxonomy)
 * across every system and collection that serves it, with the legal bases declared for it.
 */
export interface ProcessingActivity {
  /** The data use key, e.g. `essential.service.payment_processing`. */
  id: string;
  /** controller: we decide the purpose (Art. 30(1)); processor: a system run for others (Art. 30(2)). */
  role: 'controller' | 'processor';
  legalBases: { basis: LegalBasis; note?: string; location: SourceLocation }[];
  collections: ActivityCollection[];
  systems: string[];
  categories: string[];
  dataSubjects: string[];
}

/**
 * Groups the data map's purposes into processing activities. A collection's purposes apply to all
 * its personal fields; a field's own purposes add that field to further activities (the demo's
 * `marketing_opt_in` serves email marketing on consent besides the account's contract). Systems with
 * `role: processor` give processor activities (Art. 30(2)), kept apart from the controller's own.
 */
export function deriveProcessingActivities(
  dataMap: DataMap,
  locations: DataMapLocations,
): ProcessingActivity[] {
  const activities = new Map<string, ProcessingActivity>();
  for (const system of dataMap.systems) {
    for (const collection of system.collections) {
      collection.purposes.forEach((purpose, index) => {
        const fields = collection.fields.filter((f) => personal(f.categories).length);
        add(
          activities,
          system,
          collection,
          purpose.use,
          purpose.legalBasis,
          purpose.note,
          fields.flatMap((f) => f.categories),
          locations.of({ system: system.id, collection: collection.name }, ['purposes', index]),
        );
      });
      for (const field of collection.fields) {
        field.purposes.forEach((purpose, index) =>
          add(
            activities,
            system,
            collection,
            purpose.use,
            purpose.legalBasis,
            purpose.note,
            field.categories,
            locations.of({ system: system.id, collection: collection.name, field: field.name }, [
              'purposes',
              index,
            ]),
          ),
        );
      }
    }
  }
  return [...activities.values()].sort((a, b) => a.role.localeCompare(b.role) || a.id.localeCompare(b.id));
}

function add(
  activities: Map<string, ProcessingActivity>,
  system: DataMapSystem,
  collection: DataMapCollection,
  use: string,
  basis: LegalBasis,
  note: string | undefined,
  categories: string[],
  location: SourceLocation,
): void {
  const key = `${system.role}:${use}`;
  let activity = activities.get(key);
  if (!activity) {
    activity = {
      id: use,
      role: system.role,
      legalBases: [],
      collections: [],
      systems: [],
      categories: [],
      dataSubjects: [],
    };
    activities.set(key, activity);
  }
  if (!activity.legalBases.some((b) => b.basis === basis && b.note === note))
    activity.legalBases.push({ basis, ...(note ? { note } : {}), location });
  const personalCategories = personal(categories);
  let entry = activity.collections.find((c) => c.system === system.id && c.collection === collection.name);
  if (!entry) {
    entry = {
      system: system.id,
      collection: collection.name,
      categories: [],
      dataSubjects: [...collection.dataSubjects],
      location,
    };
    activity.collections.push(entry);
  }
  entry.categories = union(entry.categories, personalCategories);
  activity.systems = union(activity.systems, [system.id]);
  activity.categories = union(activity.categories, personalCategories);
  activity.dataSubjects = union(activity.dataSubjects, collection.dataSubjects);
}

/** Personal data categories: everything but Steward's `system.*` operational keys. */
export function personal(categories: readonly string[]): string[] {
  return categories.filter((c) => !c.startsWith('system'));
}

function union(a: readonly string[], b: readonly string[]): string[] {
  return [...new Set([...a, ...b])].sort();
}
