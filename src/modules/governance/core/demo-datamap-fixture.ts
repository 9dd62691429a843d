import { fileURLToPath } from 'node:url';
import { loadDataMap } from '../../../platform/datamap/load-datamap.ts';
import type { DataMap } from '../../../platform/datamap/datamap-types.ts';
import type { ProcessorRecord } from './processor-record.ts';

/** The demo shop's data map file, which tests read as a real data map with real line numbers. */
export const DEMO_DATAMAP_FILE = fileURLToPath(new URL('../../demo/shop/shop-datamap.yaml', import.meta.url));

/** The demo shop's data map, loaded and validated as Steward loads any data map. */
export function demoDataMap(): DataMap {
  return loadDataMap([DEMO_DATAMAP_FILE]).forTenant('default').dataMap;
}

/** The demo's payment provider: a US processor under SCC module 2 with a DPA and a TIA. */
export function aUsPaymentProcessor(overrides: Partial<ProcessorRecord> = {}): ProcessorRecord {
  return {
    id: 'payment-service-provider',
    name: 'Payment service provider',
    role: 'processor',
    contact: 'privacy@payments.example',
    countries: ['US'],
    categories: ['user.financial', 'user.contact.email'],
    systems: [],
    dpa: { signedOn: '2024-03-01', reference: 'DPA-2024-007' },
    subProcessors: [],
    dpfCertified: false,
    mechanism: { kind: 'scc', module: 2, signedOn: '2024-03-01' },
    tia: {
      assessedOn: '2024-02-20',
      outcome: 'supplementary_measures',
      measures: ['encryption in transit and at rest'],
    },
    ...overrides,
  };
}
