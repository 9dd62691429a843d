import { defineModule } from '../../kernel/module.ts';
import type { PlatformServices } from '../platform-services.ts';
import { datamapCommand } from './cli/datamap-command.ts';
import { datamapConfigSchema, type DatamapConfig } from './datamap-config-schema.ts';
import { datamapRoutes } from './http/datamap-routes.ts';

/** The data map: YAML manifests, validation, introspection and the Fides import. */
export const datamapModule = defineModule<
  Pick<PlatformServices, 'config' | 'dataMaps'>,
  unknown,
  'datamap',
  DatamapConfig
>({
  name: 'datamap',
  config: { key: 'datamap', schema: datamapConfigSchema },
  routes: datamapRoutes,
  commands: [datamapCommand],
});
