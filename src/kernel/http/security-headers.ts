import helmet from 'helmet';

/**
 * The security headers of every response, as helmet sets them, computed once at start-up: helmet's
 * per-request middleware re-derives the same values on every request and took about as much CPU as
 * the rest of a /healthz request together. The API serves JSON only, so its documents may load
 * nothing and be framed by nobody; /docs replaces the policy with Swagger UI's own.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = computeHelmetHeaders();

function computeHelmetHeaders(): Record<string, string> {
  const headers: Record<string, string> = {};
  const response = {
    setHeader: (name: string, value: string | number | readonly string[]) => {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
    },
    removeHeader: () => {},
  };
  const middleware = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: { 'default-src': ["'none'"], 'frame-ancestors': ["'none'"] },
    },
  });
  middleware({} as never, response as never, () => {});
  return headers;
}
