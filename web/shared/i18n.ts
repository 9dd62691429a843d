import i18n, { type Resource } from 'i18next';
import LanguageDetector from 'i18next-browser-languagedetector';
import { initReactI18next } from 'react-i18next';
import commonDe from './locales/de.json';
import commonEn from './locales/en.json';
import commonFr from './locales/fr.json';

export const LANGUAGES = ['en', 'de', 'fr'] as const;
export type Language = (typeof LANGUAGES)[number];

export const LANGUAGE_NAMES: Record<Language, string> = { en: 'English', de: 'Deutsch', fr: 'Français' };

type Messages = Record<string, unknown>;

/**
 * i18next with the browser's language (navigator.languages; `?lang=de` overrides), English as the
 * fallback, and the app's messages next to the shared ones. The chosen language is written to
 * <html lang> so screen readers pronounce the page correctly (WCAG 3.1.1).
 */
export async function startI18n(app: Record<Language, Messages>): Promise<typeof i18n> {
  const common: Record<Language, Messages> = { en: commonEn, de: commonDe, fr: commonFr };
  const resources: Resource = Object.fromEntries(
    LANGUAGES.map((language) => [language, { translation: { ...common[language], ...app[language] } }]),
  );
  // The language of the messages shown (de for de-DE), not the browser's exact tag.
  i18n.on('languageChanged', () => {
    document.documentElement.lang = currentLanguage();
  });
  await i18n
    .use(LanguageDetector)
    .use(initReactI18next)
    .init({
      resources,
      fallbackLng: 'en',
      supportedLngs: [...LANGUAGES],
      nonExplicitSupportedLngs: true,
      load: 'languageOnly',
      detection: { order: ['querystring', 'navigator'], lookupQuerystring: 'lang', caches: [] },
      interpolation: { escapeValue: false },
      returnNull: false,
    });
  return i18n;
}

/** The current language, as one of ours. */
export function currentLanguage(): Language {
  const language = (i18n.resolvedLanguage ?? 'en').slice(0, 2);
  return (LANGUAGES as readonly string[]).includes(language) ? (language as Language) : 'en';
}
