import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { adequacyDecisionFor, ADEQUACY_DECISIONS } from './adequacy-decisions.ts';
import { aUsPaymentProcessor, demoDataMap } from './demo-datamap-fixture.ts';
import { logicalLocations } from './source-location.ts';
import { deriveTransferFlows } from './transfer-flows.ts';
import { countryOfRegion } from './region-country.ts';

const day = (iso: string) => new Date(`${iso}T12:00:00Z`);

describe('adequacy decisions shipped as data (GDPR Art. 45)', () => {
  it('covers the US from 10 July 2023 under Decision (EU) 2023/1795, for certified organisations only', () => {
    assert.equal(adequacyDecisionFor('US', day('2023-07-09')), undefined);
    const dpf = adequacyDecisionFor('US', day('2023-07-10'));
    assert.match(dpf?.decision ?? '', /2023\/1795/);
    assert.equal(dpf?.scope, 'certified_organisations');
    assert.equal(dpf?.journal, 'OJ L 231, 20.9.2023, p. 118');
  });

  it('covers the UK under 2021/1772 until 27 December 2025 and under the renewal until 27 December 2031', () => {
    assert.match(adequacyDecisionFor('GB', day('2025-12-27'))?.decision ?? '', /2021\/1772/);
    const renewed = adequacyDecisionFor('GB', day('2025-12-28'));
    assert.equal(renewed?.adopted, '2025-12-19');
    assert.equal(renewed?.validUntil, '2031-12-27');
    assert.equal(adequacyDecisionFor('GB', day('2031-12-28')), undefined);
  });

  it('covers Brazil from 26 January 2026 (Decision (EU) 2026/179)', () => {
    assert.equal(adequacyDecisionFor('BR', day('2026-01-25')), undefined);
    assert.match(adequacyDecisionFor('BR', day('2026-01-26'))?.decision ?? '', /2026\/179/);
  });

  it('lists the decisions kept by Art. 45(9) with their adoption dates', () => {
    const adopted = Object.fromEntries(ADEQUACY_DECISIONS.map((d) => [d.country, d.adopted]));
    assert.deepEqual(
      {
        CH: adopted.CH,
        CA: adopted.CA,
        AR: adopted.AR,
        GG: adopted.GG,
        IM: adopted.IM,
        JE: adopted.JE,
        FO: adopted.FO,
        AD: adopted.AD,
        IL: adopted.IL,
        UY: adopted.UY,
        NZ: adopted.NZ,
        JP: adopted.JP,
        KR: adopted.KR,
      },
      {
        CH: '2000-07-26',
        CA: '2001-12-20',
        AR: '2003-06-30',
        GG: '2003-11-21',
        IM: '2004-04-28',
        JE: '2008-05-08',
        FO: '2010-03-05',
        AD: '2010-10-19',
        IL: '2011-01-31',
        UY: '2012-08-21',
        NZ: '2012-12-19',
        JP: '2019-01-23',
        KR: '2021-12-17',
      },
    );
    assert.equal(ADEQUACY_DECISIONS.find((d) => d.country === 'CA')?.scope, 'commercial_organisations');
  });

  it('never offers the invalidated Privacy Shield', () => {
    assert.ok(!JSON.stringify(ADEQUACY_DECISIONS).toLowerCase().includes('privacy shield'));
    assert.ok(!ADEQUACY_DECISIONS.some((d) => d.decision.includes('2016/1250')));
  });
});

describe('transfer flows out of the EEA', () => {
  const dataMap = demoDataMap();
  const locations = logicalLocations(dataMap);
  const at = day('2026-06-01');

  it('finds the US payment transfer and refuses the DPF when the register does not record a certification', () => {
    const [flow] = deriveTransferFlows({ dataMap, processors: [], locations, at });
    assert.equal(flow?.country, 'US');
    assert.equal(flow?.recipient, 'Payment service provider');
    assert.deepEqual(flow?.bases, []);
    assert.match(flow?.warnings.join(' ') ?? '', /certified organisations only/);
  });

  it('accepts the DPF for a certified recipient, as an Art. 45 adequacy ground', () => {
    const [flow] = deriveTransferFlows({
      dataMap,
      processors: [aUsPaymentProcessor({ dpfCertified: true, mechanism: undefined })],
      locations,
      at,
    });
    assert.equal(flow?.bases[0]?.kind, 'adequacy');
  });

  it('takes the SCC module, signing date and TIA from the processor register', () => {
    const [flow] = deriveTransferFlows({ dataMap, processors: [aUsPaymentProcessor()], locations, at });
    assert.deepEqual(flow?.bases, [{ kind: 'scc', module: 2, signedOn: '2024-03-01' }]);
    assert.equal(flow?.tia?.outcome, 'supplementary_measures');
  });

  it('finds a sub-processor abroad and a system hosted in a third country', () => {
    const hosted = structuredClone(dataMap);
    hosted.systems[0]!.region = 'ap-southeast-1';
    const flows = deriveTransferFlows({
      dataMap: hosted,
      processors: [aUsPaymentProcessor({ subProcessors: [{ name: 'Fraud scoring', country: 'IN' }] })],
      locations: logicalLocations(hosted),
      at,
    });
    assert.deepEqual(flows.map((f) => [f.route, f.country]).sort(), [
      ['declared_transfer', 'US'],
      ['hosting', 'SG'],
      ['sub_processor', 'IN'],
    ]);
    assert.deepEqual(flows.find((f) => f.country === 'IN')?.bases, []);
  });

  it('knows cloud regions and refuses to guess unknown ones', () => {
    assert.equal(countryOfRegion('eu-central-1'), 'DE');
    assert.equal(countryOfRegion('eu-west-2'), 'GB');
    assert.equal(countryOfRegion('DE'), 'DE');
    assert.equal(countryOfRegion('moon-base-1'), undefined);
  });
});
