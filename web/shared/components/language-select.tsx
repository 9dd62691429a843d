import { NativeSelect } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { currentLanguage, LANGUAGE_NAMES, LANGUAGES, type Language } from '../i18n.ts';

/** The page's language, chosen from the browser at first and changeable here. */
export function LanguageSelect() {
  const { t, i18n } = useTranslation();
  return (
    <NativeSelect
      size="xs"
      aria-label={t('common.language')}
      value={currentLanguage()}
      data={LANGUAGES.map((language: Language) => ({ value: language, label: LANGUAGE_NAMES[language] }))}
      onChange={(event) => void i18n.changeLanguage(event.currentTarget.value)}
    />
  );
}
