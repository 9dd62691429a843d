import type { DataMap, DataMapField } from '../../../../platform/datamap/datamap-types.ts';

/** An identity whose value cannot equal anything stored in any field it is compared with. */
export interface UnmatchableIdentity {
  identity: string;
  /** Each field with the reason; never the value, which may be anyone's personal data. */
  fields: { field: string; reason: string }[];
}

/**
 * Why `value` can never equal a value of the column, or undefined when it might (or the column's
 * type is not known). Checked at intake so that a customer number of `5 OR 1=1` is refused with a
 * reason rather than carried into every system the identity reaches.
 */
export function identityMisfit(value: string, field: DataMapField): string | undefined {
  const type = field.type;
  if (!type) return undefined;
  const text = value.trim();
  switch (type.family) {
    case 'integer':
      return /^-?\d+$/.test(text) ? undefined : `${type.raw} holds whole numbers`;
    case 'decimal':
    case 'float':
      return text !== '' && Number.isFinite(Number(text)) ? undefined : `${type.raw} holds numbers`;
    case 'uuid':
      return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(text)
        ? undefined
        : `${type.raw} holds UUIDs`;
    case 'boolean':
      return ['true', 'false', '0', '1'].includes(text.toLowerCase())
        ? undefined
        : `${type.raw} holds true or false`;
    case 'date':
      return /^\d{4}-\d{2}-\d{2}$/.test(text) && !Number.isNaN(Date.parse(text))
        ? undefined
        : `${type.raw} holds dates written YYYY-MM-DD`;
    case 'timestamp':
      return Number.isNaN(Date.parse(text)) ? `${type.raw} holds ISO 8601 timestamps` : undefined;
    case 'text':
      return type.length !== undefined && value.length > type.length
        ? `${type.raw} holds at most ${type.length} characters`
        : undefined;
    default:
      return undefined;
  }
}

/**
 * The identities whose value fits none of the fields that hold that identity in the data map
 * (each field's type is known and refuses it). An identity without fields, or with one field of
 * unknown type, may still match and is not listed. Phone numbers are left to the planner, which
 * compares them in every stored form.
 */
export function unmatchableIdentities(
  dataMap: DataMap,
  identities: Record<string, string>,
  isPhone: (identity: string) => boolean,
): UnmatchableIdentity[] {
  const result: UnmatchableIdentity[] = [];
  for (const [identity, value] of Object.entries(identities)) {
    if (isPhone(identity)) continue;
    const fields = dataMap.systems.flatMap((system) =>
      system.collections.flatMap((collection) =>
        collection.fields
          .filter((field) => field.identity === identity)
          .map((field) => ({
            field: `${system.id}.${collection.name}.${field.name}`,
            reason: identityMisfit(value, field),
          })),
      ),
    );
    if (fields.length === 0 || fields.some((f) => f.reason === undefined)) continue;
    result.push({ identity, fields: fields.map((f) => ({ field: f.field, reason: f.reason! })) });
  }
  return result;
}
