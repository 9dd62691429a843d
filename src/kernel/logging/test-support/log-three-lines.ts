// Logs three entries with the default destination (stdout): run by logger.test.ts in a pty and in a pipe.
import { createLogger } from '../logger.ts';

const logger = createLogger({ level: 'info' });
logger.info(
  { file: '.steward/master.key', email: 'ann@example.com' },
  'secrets are sealed with a generated key',
);
logger.warn('the demo is on');
logger.debug('not at this level');
logger.error({ attempt: 2 }, 'notice not sent');
