import type { DemoConfig } from '../modules/demo/api.ts';
import type { DsrConfig } from '../modules/dsr/api.ts';

/**
 * The demo catches its own mail: with the demo on and no SMTP server configured, the DSR module's
 * mail to requesters (one-time codes, notices, download links) goes to its local outbox, which
 * `steward demo mail` shows, so a newcomer can verify a request end to end without a mail server.
 * An explicit `dsr.outbox` (true or false) is left as set.
 */
export function routeDemoMailToOutbox(config: {
  demo: Pick<DemoConfig, 'enabled'>;
  dsr: Pick<DsrConfig, 'outbox' | 'smtp'>;
}): void {
  if (config.dsr.outbox === undefined && config.demo.enabled && config.dsr.smtp === undefined)
    config.dsr.outbox = true;
}
