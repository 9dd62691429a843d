/**
 * The content security policy of the web apps' pages: scripts, styles and fonts from this origin
 * only — no inline script or style element, no eval — API calls to this origin only, images from
 * here (and data: URIs, which Mantine's icons and checkboxes use) plus the configured logo origins,
 * never framed, forms only to this origin. Inline `style` attributes stay blocked too; React and
 * Mantine set styles through the CSSOM, which the policy does not govern.
 */
export function webContentSecurityPolicy(imageOrigins: readonly string[] = []): string {
  const directives: Record<string, string[]> = {
    'default-src': ["'none'"],
    'script-src': ["'self'"],
    'style-src': ["'self'"],
    'img-src': ["'self'", 'data:', ...imageOrigins],
    'font-src': ["'self'"],
    'connect-src': ["'self'"],
    'manifest-src': ["'self'"],
    'base-uri': ["'none'"],
    'form-action': ["'self'"],
    'frame-ancestors': ["'none'"],
    'object-src': ["'none'"],
  };
  return Object.entries(directives)
    .map(([name, values]) => `${name} ${values.join(' ')}`)
    .join('; ');
}
