import helmet from 'helmet';

/**
 * The security headers of every response, as helmet sets them, computed once at start-up: helmet's
 * per-request middleware re-derives the same values on every request and took about as much CPU as
 * the rest of a /healthz request together. The API serves JSON only, so its documents may load
 * nothing and be framed by nobody; /docs replaces the policy with Swagger UI's own.
 *
 * Every response carries the headers a JSON API needs (OWASP's REST Security Cheat Sheet: the
 * policy, nosniff, framing, HSTS, plus no referrer and same-origin resource loading). The headers
 * that only mean something to a browser rendering an HTML document — window isolation, DNS
 * prefetching, IE download handling, Flash/PDF cross-domain policies, the legacy XSS filter — go on
 * the documents (Swagger UI, the web apps) only: Node validates and writes every header of every
 * answer, and helmet's full dozen took about a fifth of the CPU of a /healthz request (profiled).
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = computeHelmetHeaders({
  crossOriginOpenerPolicy: false,
  originAgentCluster: false,
  xDnsPrefetchControl: false,
  xDownloadOptions: false,
  xPermittedCrossDomainPolicies: false,
  xXssProtection: false,
});

/** What an HTML document gets besides SECURITY_HEADERS: helmet's full set minus the API's. */
export const DOCUMENT_SECURITY_HEADERS: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(computeHelmetHeaders({})).filter(([name]) => !(name in SECURITY_HEADERS)),
);

function computeHelmetHeaders(omitted: Parameters<typeof helmet>[0]): Record<string, string> {
  const headers: Record<string, string> = {};
  const response = {
    setHeader: (name: string, value: string | number | readonly string[]) => {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
    },
    removeHeader: () => {},
  };
  const middleware = helmet({
    ...omitted,
    contentSecurityPolicy: {
      useDefaults: false,
      directives: { 'default-src': ["'none'"], 'frame-ancestors': ["'none'"] },
    },
  });
  middleware({} as never, response as never, () => {});
  return headers;
}
