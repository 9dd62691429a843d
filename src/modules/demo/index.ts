// The demo module's manifest: the fictitious "shop" a newcomer tries Steward on (`steward demo`,
// `steward serve --demo`); what it adds at start-up is in src/workflows/prepare-demo.ts.
import { defineModule } from '../../kernel/module.ts';
import { demoCommand } from './cli/demo-command.ts';
import { demoMailCommand } from './cli/demo-mail-command.ts';
import { demoConfigSchema, type DemoConfig } from './config-schema.ts';

export const demoModule = defineModule<unknown, unknown, 'demo', DemoConfig>({
  name: 'demo',
  config: { key: 'demo', schema: demoConfigSchema },
  commands: [demoCommand, { under: 'demo', build: demoMailCommand }],
});
