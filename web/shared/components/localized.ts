import { currentLanguage } from '../i18n.ts';

/** A text from configuration, one string or one per language: the page's language, else English, else any. */
export type LocalizedText = string | Partial<Record<string, string>>;

export function localized(text: LocalizedText | undefined): string | undefined {
  if (text === undefined || typeof text === 'string') return text;
  return text[currentLanguage()] ?? text.en ?? Object.values(text)[0];
}
