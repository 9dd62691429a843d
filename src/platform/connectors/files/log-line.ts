import type { LogColumn } from './log-columns.ts';
import { TIME_KEYS, timeOfJsonValue, timeOfTextLine } from './line-time.ts';

/** A span of a line the PII detector recognised: `type` as the detector names it (email, phone …). */
export interface DetectedSpan {
  type: string;
  start: number;
  end: number;
}

/** Finds PII in a line of text (the platform's `detectPii`, narrowed to what the connector needs). */
export type LineDetector = (text: string) => DetectedSpan[];

/** How a collection's lines read. */
export interface LineFormat {
  format: 'jsonl' | 'text';
  /** JSON path of the time (jsonl), parsed; undefined = the usual keys. */
  timestampPath?: (string | number)[];
  detect: LineDetector;
}

const NOT_JSON = Symbol('not json');

/**
 * One line of a log file as a row. Parsing is lazy (JSON on first path column, detection on first
 * detector column), so lines that a pre-filter already ruled out cost nothing. Every column is
 * multi-valued: a JSON path has zero or one value, a detector column as many as the line holds.
 */
export class LogLine {
  readonly text: string;
  readonly file: string;
  readonly number: number;
  readonly #format: LineFormat;
  #json: unknown = undefined;
  #spans: DetectedSpan[] | undefined;

  constructor(text: string, file: string, number: number, format: LineFormat) {
    this.text = text;
    this.file = file;
    this.number = number;
    this.#format = format;
  }

  /** Every value of the column in this line; empty means NULL. */
  values(column: LogColumn): unknown[] {
    switch (column.kind) {
      case 'line':
        return [this.text];
      case 'file':
        return [this.file];
      case 'number':
        return [this.number];
      case 'time': {
        const time = this.time();
        return time ? [time] : [];
      }
      case 'detected':
        return this.spans(column.type).map((span) => this.text.slice(span.start, span.end));
      case 'path': {
        const value = valueAt(this.json(), column.path);
        return value === undefined || value === null ? [] : [value];
      }
    }
  }

  /** The parsed JSON object, or undefined when the line is not JSON (it then has no path values). */
  json(): unknown {
    if (this.#json === undefined) {
      try {
        this.#json = this.#format.format === 'jsonl' ? JSON.parse(this.text) : NOT_JSON;
      } catch {
        this.#json = NOT_JSON;
      }
    }
    return this.#json === NOT_JSON ? undefined : this.#json;
  }

  /** Detected spans of one type, in order of position. */
  spans(type: string): DetectedSpan[] {
    this.#spans ??= this.#format.detect(this.text).sort((a, b) => a.start - b.start);
    return this.#spans.filter((span) => span.type === type);
  }

  time(): Date | undefined {
    if (this.#format.format === 'text') return timeOfTextLine(this.text);
    const json = this.json();
    if (this.#format.timestampPath) return timeOfJsonValue(valueAt(json, this.#format.timestampPath));
    for (const key of TIME_KEYS) {
      const time = timeOfJsonValue(valueAt(json, [key]));
      if (time) return time;
    }
    return undefined;
  }
}

/** The value at a JSON path, or undefined. */
export function valueAt(value: unknown, path: readonly (string | number)[]): unknown {
  let current = value;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}
