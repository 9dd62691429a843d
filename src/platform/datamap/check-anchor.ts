import type { DataMapLocator } from './datamap-locator.ts';
import type { DataMapCollection } from './datamap-types.ts';

/** An anchor (a period's start) must be a date or timestamp field of the same collection. */
export function checkAnchor(
  collection: DataMapCollection,
  anchor: string,
  at: object,
  path: (string | number)[],
  locator: DataMapLocator,
): void {
  const field = collection.fields.find((f) => f.name === anchor);
  const subject = `${collection.system}.${collection.name}`;
  if (!field) {
    locator.report(at, path, {
      code: 'datamap.anchor_missing_field',
      subject,
      message: `anchor "${anchor}" is not a field of ${subject}`,
      fix: `name a date or timestamp field of the collection (${
        collection.fields
          .filter((f) => f.type?.family === 'date' || f.type?.family === 'timestamp')
          .map((f) => f.name)
          .join(', ') || 'declare one'
      })`,
    });
    return;
  }
  if (field.type && field.type.family !== 'date' && field.type.family !== 'timestamp') {
    locator.report(at, path, {
      code: 'datamap.anchor_not_date',
      subject,
      message: `anchor "${anchor}" has type ${field.type.raw}, not a date or timestamp`,
      fix: 'name a date or timestamp field',
    });
  }
}
