import type { DataMap } from '../../../platform/datamap/datamap-types.ts';

/** A field the data map says is processed for one purpose only, on the basis of consent. */
export interface ConsentOnlyField {
  system: string;
  collection: string;
  field: string;
}

/**
 * The personal fields whose purposes (their own, else their collection's) are exactly this one
 * purpose under legal basis consent. Once that consent is withdrawn nothing else justifies keeping
 * them (GDPR Art. 17(1)(b)); fields also used for another purpose or on another basis stay.
 */
export function consentOnlyFields(dataMap: DataMap, purpose: string): ConsentOnlyField[] {
  const result: ConsentOnlyField[] = [];
  for (const system of dataMap.systems) {
    for (const collection of system.collections) {
      for (const field of collection.fields) {
        if (field.categories.length === 0) continue;
        const purposes = field.purposes.length > 0 ? field.purposes : collection.purposes;
        if (purposes.length > 0 && purposes.every((p) => p.use === purpose && p.legalBasis === 'consent')) {
          result.push({ system: system.id, collection: collection.name, field: field.name });
        }
      }
    }
  }
  return result;
}
