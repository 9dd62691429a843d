import '@mantine/core/styles.css';
import '../shared/styles.css';
import { createRoot } from 'react-dom/client';
import { startI18n } from '../shared/i18n.ts';
import { applyThemeVariables, stewardTheme } from '../shared/theme.ts';
import { PrivacyCenterApp } from './privacy-center-app.tsx';
import de from './locales/de.json';
import en from './locales/en.json';
import fr from './locales/fr.json';

applyThemeVariables(stewardTheme());
await startI18n({ en, de, fr });
createRoot(document.getElementById('root')!).render(<PrivacyCenterApp />);
