import type { ColumnFamily, ColumnType } from './datamap-types.ts';

/** Type names (lower case, without length) by family, as PostgreSQL and MySQL/MariaDB spell them. */
const FAMILY_BY_NAME: Record<string, ColumnFamily> = {
  varchar: 'text',
  'character varying': 'text',
  char: 'text',
  character: 'text',
  bpchar: 'text',
  nchar: 'text',
  nvarchar: 'text',
  'national character varying': 'text',
  text: 'text',
  tinytext: 'text',
  mediumtext: 'text',
  longtext: 'text',
  citext: 'text',
  name: 'text',
  string: 'text',
  int: 'integer',
  integer: 'integer',
  int2: 'integer',
  int4: 'integer',
  int8: 'integer',
  smallint: 'integer',
  bigint: 'integer',
  tinyint: 'integer',
  mediumint: 'integer',
  serial: 'integer',
  bigserial: 'integer',
  smallserial: 'integer',
  year: 'integer',
  numeric: 'decimal',
  decimal: 'decimal',
  money: 'decimal',
  real: 'float',
  float: 'float',
  float4: 'float',
  float8: 'float',
  double: 'float',
  'double precision': 'float',
  number: 'float',
  boolean: 'boolean',
  bool: 'boolean',
  date: 'date',
  timestamp: 'timestamp',
  timestamptz: 'timestamp',
  'timestamp with time zone': 'timestamp',
  'timestamp without time zone': 'timestamp',
  datetime: 'timestamp',
  time: 'time',
  timetz: 'time',
  'time with time zone': 'time',
  'time without time zone': 'time',
  interval: 'time',
  json: 'json',
  jsonb: 'json',
  object: 'json',
  bytea: 'binary',
  blob: 'binary',
  tinyblob: 'binary',
  mediumblob: 'binary',
  longblob: 'binary',
  binary: 'binary',
  varbinary: 'binary',
  bit: 'binary',
  uuid: 'uuid',
  enum: 'enum',
  set: 'enum',
};

/** Fixed maximum lengths of MySQL's small text/blob types. */
const IMPLICIT_LENGTH: Record<string, number> = { tinytext: 255, tinyblob: 255 };

const MODIFIERS = /\s+(unsigned|signed|zerofill)\b/g;

/**
 * Parses a column type as the database spells it (`varchar(20)`, `character varying(255)`,
 * `int(11) unsigned`, `numeric(10,2)`, `timestamp(3) with time zone`, `text[]`).
 */
export function parseColumnType(raw: string): ColumnType {
  const text = raw.trim().toLowerCase().replace(MODIFIERS, '');
  if (text.endsWith('[]') || /^_[a-z]/.test(text)) return { raw, family: 'array' };
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  const baseName = (open === -1 ? text : text.slice(0, open)).trim();
  const args = open === -1 || close < open ? '' : text.slice(open + 1, close);
  const suffix = open === -1 || close < open ? '' : text.slice(close + 1).trim();
  const fullName = [baseName, suffix].filter(Boolean).join(' ');
  const family =
    FAMILY_BY_NAME[fullName] ??
    FAMILY_BY_NAME[baseName] ??
    FAMILY_BY_NAME[baseName.split(' ')[0] ?? ''] ??
    'other';
  const type: ColumnType = { raw, family };
  const numbers = args
    .split(',')
    .map((part) => part.trim())
    .filter((part) => /^\d+$/.test(part))
    .map(Number);
  if (family === 'text' || family === 'binary') {
    // char/character without a length is char(1) in both databases.
    const implicitOne = ['char', 'character', 'bpchar'].includes(baseName) && open === -1;
    const length = numbers[0] ?? IMPLICIT_LENGTH[baseName] ?? (implicitOne ? 1 : undefined);
    if (length !== undefined) type.length = length;
  }
  if (family === 'decimal') {
    if (numbers[0] !== undefined) type.precision = numbers[0];
    if (numbers[1] !== undefined) type.scale = numbers[1];
  }
  // MySQL's BOOLEAN is TINYINT(1).
  if (baseName === 'tinyint' && numbers[0] === 1) type.family = 'boolean';
  return type;
}
