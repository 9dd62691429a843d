import { detectPii } from '../../pii/detect-pii.ts';
import type { LineDetector } from './log-line.ts';

/** The platform's free-text PII detector, as the connector's `pii:<type>` columns use it. */
export const platformDetector: LineDetector = (text) =>
  detectPii(text).map(({ type, start, end }) => ({ type, start, end }));
