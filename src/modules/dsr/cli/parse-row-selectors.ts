import { InvalidInput } from '../../../kernel/errors/domain-error.ts';
import type { Correction } from '../core/planning/dsr-plan.ts';

/**
 * `--row addresses:id=100` (a system may prefix the collection, `crm.contacts:id=7`; composite keys
 * `order_items:order_id=10,line_no=2`) or `--all-rows`: which of the subject's rows a correction
 * goes into where a collection holds several.
 */
export function parseRowSelectors(rows: string[] | undefined, all: boolean | undefined): Correction['rows'] {
  if (all) return 'all';
  if (!rows?.length) return undefined;
  return rows.map((text) => {
    const [collection, keyText] = text.split(':');
    const key = Object.fromEntries(
      (keyText ?? '').split(',').map((pair) => {
        const [column, ...value] = pair.split('=');
        if (!column || !value.length)
          throw new InvalidInput(
            'dsr.bad_row',
            `--row takes collection:column=value (e.g. addresses:id=100); got "${text}".`,
          );
        return [column, value.join('=')];
      }),
    );
    if (!collection || !Object.keys(key).length)
      throw new InvalidInput(
        'dsr.bad_row',
        `--row takes collection:column=value (e.g. addresses:id=100); got "${text}".`,
      );
    const [system, name] = collection.includes('.') ? collection.split('.') : [undefined, collection];
    return { ...(system ? { system } : {}), collection: name!, key };
  });
}
