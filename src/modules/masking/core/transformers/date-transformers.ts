import { DigestRandom } from '../digest-random.ts';
import type {
  ColumnFacts,
  MaskValue,
  RuleParams,
  TransformerDefinition,
  TransformerTools,
} from '../transformer.ts';
import { attemptPurpose, firstDifferent } from './first-different.ts';
import { keyedToken } from './keyed-token-transformer.ts';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(.*)$/s;
const DAY_MS = 86_400_000;
/** Width of the age band a date of birth stays in. */
export const AGE_BAND_YEARS = 5;

/**
 * A date of birth in the same five-year band (1985–1989 stays 1985–1989), so age-band statistics
 * and age checks keep working while the exact date, which with a postcode identifies most people,
 * is gone. Year, month and day come from the keyed digest; a time part (timestamp columns) is kept.
 */
export const dateOfBirthTransformer: TransformerDefinition = {
  name: 'date_of_birth',
  leakCheck: 'row',
  families: ['date', 'timestamp', 'text', 'other'],
  create(_column: ColumnFacts, tools: TransformerTools): MaskValue {
    const random = new DigestRandom();
    return (value) => {
      const match = ISO_DATE.exec(value);
      if (!match) return keyedToken(value, random.reseed(tools.digest('date_of_birth', value)));
      const bandStart = Math.floor(Number(match[1]) / AGE_BAND_YEARS) * AGE_BAND_YEARS;
      return firstDifferent(value, (attempt) => {
        random.reseed(tools.digest(attemptPurpose('date_of_birth', attempt), value));
        const year = bandStart + random.below(AGE_BAND_YEARS);
        const month = 1 + random.below(12);
        const day = 1 + random.below(daysIn(year, month));
        return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}${match[4]}`;
      });
    };
  },
};

/**
 * Moves a date or timestamp by up to `maxDays` (default 30) either way, keyed by the value: order
 * within a few weeks and seasonality survive, the exact day does not.
 */
export const dateShiftTransformer: TransformerDefinition = {
  name: 'date_shift',
  leakCheck: 'row',
  families: ['date', 'timestamp', 'text', 'other'],
  create(_column: ColumnFacts, tools: TransformerTools, params: RuleParams): MaskValue {
    const maxDays = params.maxDays ?? 30;
    const random = new DigestRandom();
    return (value) => {
      const match = ISO_DATE.exec(value);
      if (!match) return keyedToken(value, random.reseed(tools.digest('date_shift', value)));
      return firstDifferent(value, (attempt) => {
        random.reseed(tools.digest(attemptPurpose('date_shift', attempt), value));
        const shift = (1 + random.below(maxDays)) * (random.below(2) ? 1 : -1);
        const date = new Date(
          Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) + shift * DAY_MS,
        );
        return `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1, 2)}-${pad(date.getUTCDate(), 2)}${match[4]}`;
      });
    };
  },
};

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}
