import { browserCsrfToken, createStewardClient } from '@steward/sdk';

const API_KEY_STORAGE = 'steward.apiKey';

/**
 * The console's credentials besides the session cookie: an API key pasted on the sign-in page for
 * local use without single sign-on, kept in this tab's sessionStorage (gone when the tab closes).
 */
export const apiKeyStore = {
  get: (): string | undefined => sessionStorage.getItem(API_KEY_STORAGE) ?? undefined,
  set: (key: string) => sessionStorage.setItem(API_KEY_STORAGE, key),
  clear: () => sessionStorage.removeItem(API_KEY_STORAGE),
};

/** The Steward API as the console calls it: same origin, the session's CSRF token, the pasted key if any. */
export const api = createStewardClient({
  baseUrl: '',
  apiKey: () => apiKeyStore.get(),
  csrfToken: browserCsrfToken,
});
