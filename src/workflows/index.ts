// The workflows' manifest: what spans modules and is wired like a module — `steward datamap check`
// (governance's compliance check and discovery's drift, under the platform's `datamap` command).
import { defineModule } from '../kernel/module.ts';
import type { GovernanceServices } from '../modules/governance/api.ts';
import { datamapCheckCommand } from './datamap-check.ts';

export const workflowsModule = defineModule<GovernanceServices>({
  name: 'workflows',
  commands: [{ under: 'datamap', build: datamapCheckCommand }],
});
