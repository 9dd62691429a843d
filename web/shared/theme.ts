import {
  createTheme,
  DEFAULT_THEME,
  defaultCssVariablesResolver,
  mergeMantineTheme,
  type MantineColorsTuple,
  type MantineThemeOverride,
} from '@mantine/core';

/**
 * Text colours darker than Mantine's defaults where those fall under WCAG 2.2 AA's 4.5:1 on their
 * light backgrounds (badges, light buttons, dimmed text); checked by axe-core in the browser tests.
 */
const ACCESSIBLE_TEXT: Record<string, string> = {
  '--mantine-color-dimmed': '#545b63',
  '--mantine-color-green-light-color': '#1e6a2d',
  '--mantine-color-teal-light-color': '#0b6b55',
  '--mantine-color-orange-light-color': '#a33a06',
  '--mantine-color-yellow-light-color': '#7a5200',
  '--mantine-color-red-light-color': '#b02020',
  '--mantine-color-grape-light-color': '#7b2a8c',
  '--mantine-color-gray-light-color': '#40464d',
  '--mantine-color-blue-light-color': '#124f87',
  '--mantine-color-violet-light-color': '#5a2fc2',
  '--mantine-color-green-filled': '#237a35',
  '--mantine-color-red-filled': '#c02626',
  '--mantine-color-orange-filled': '#b84008',
  '--mantine-color-teal-filled': '#0b7560',
  '--mantine-color-gray-filled': '#545b63',
  '--mantine-color-anchor': 'var(--mantine-primary-color-filled)',
  '--mantine-color-placeholder': '#6b7178',
};

/** Steward's theme: the darker shades of each colour for filled controls, so white text reads at 4.5:1. */
export function stewardTheme(primaryHex?: string): MantineThemeOverride {
  return createTheme({
    primaryColor: primaryHex ? 'brand' : 'blue',
    primaryShade: 8,
    autoContrast: true,
    fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
    defaultRadius: 'md',
    ...(primaryHex ? { colors: { brand: shadesOf(primaryHex) } } : {}),
  });
}

/**
 * Ten shades around a tenant's colour, which sits at shade 8 (filled buttons): lighter tints
 * towards white for light backgrounds, one darker shade for text on them.
 */
export function shadesOf(hex: string): MantineColorsTuple {
  const rgb = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  const mix = (toward: number, amount: number) =>
    `#${rgb
      .map((c) =>
        Math.round(c + (toward - c) * amount)
          .toString(16)
          .padStart(2, '0'),
      )
      .join('')}`;
  const tints = [0.95, 0.88, 0.75, 0.6, 0.45, 0.3, 0.15, 0.07].map((amount) => mix(255, amount));
  return [...tints, hex, mix(0, 0.25)] as unknown as MantineColorsTuple;
}

/**
 * Puts the theme's CSS variables on <html> through the CSSOM. Mantine would write them into a
 * <style> element, which the content security policy (style-src 'self', no inline styles) blocks;
 * the CSSOM is not governed by it. Run before the first render and whenever the colour changes.
 */
export function applyThemeVariables(theme: MantineThemeOverride): void {
  const merged = mergeMantineTheme(DEFAULT_THEME, theme);
  const resolved = defaultCssVariablesResolver(merged);
  const style = document.documentElement.style;
  for (const [name, value] of Object.entries({
    ...resolved.variables,
    ...resolved.light,
    ...ACCESSIBLE_TEXT,
  })) {
    style.setProperty(name, String(value));
  }
  document.documentElement.setAttribute('data-mantine-color-scheme', 'light');
}
