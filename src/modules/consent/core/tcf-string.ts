import { DecodingError, TCModelError, TCString } from '@iabtcf/core';
import { InvalidInput } from '../../../kernel/errors/domain-error.ts';
import { rangesOf, type IdRanges } from './id-ranges.ts';

/** What Steward keeps from an IAB TCF v2.2 TC string (decoded without the Global Vendor List). */
export interface DecodedTcString {
  cmpId: number;
  cmpVersion: number;
  policyVersion: number;
  vendorListVersion: number;
  consentLanguage: string;
  publisherCountryCode: string;
  purposeConsents: number[];
  purposeLegitimateInterests: number[];
  /** Vendor ids as inclusive ranges: one range entry of the string may name every vendor. */
  vendorConsents: IdRanges;
  vendorLegitimateInterests: IdRanges;
  specialFeatureOptins: number[];
  created: Date;
  lastUpdated: Date;
}

/** TCF v2.2 strings carry TCF policy version 4 or later (v2.0 and v2.1 used 2). */
const MIN_POLICY_VERSION = 4;

/**
 * Decodes and validates a TC string with @iabtcf/core. No vendor list is loaded (none can be
 * downloaded here), so vendor ids are kept as numbers without names; the raw string is stored
 * alongside, so it can be re-read against a vendor list later. Anything that is not a well-formed
 * TCF v2.2 core string is refused with the reason.
 */
export function decodeTcString(raw: string): DecodedTcString {
  const trimmed = raw.trim();
  if (!trimmed) throw invalid('the string is empty');
  let model: ReturnType<typeof TCString.decode>;
  try {
    model = TCString.decode(trimmed);
  } catch (error) {
    // The library's own errors say what is wrong; anything else (a TypeError deep in its decoder on
    // a string it cannot segment) would only confuse, so it is said plainly.
    throw invalid(
      error instanceof DecodingError || error instanceof TCModelError
        ? error.message.trim().replace(/\s+\.$/, '')
        : 'it does not decode as a TC string (a truncated or altered copy?)',
    );
  }
  if (model.version !== 2) throw invalid(`it is a TCF v${model.version} string; only v2.2 is accepted`);
  const policyVersion = Number(model.policyVersion);
  const cmpId = Number(model.cmpId);
  if (policyVersion < MIN_POLICY_VERSION) {
    throw invalid(
      `its TCF policy version is ${policyVersion}; TCF v2.2 strings carry ${MIN_POLICY_VERSION} or later (ask the CMP to upgrade)`,
    );
  }
  // IAB: CMP ids 0 and 1 are never assigned; a string naming them did not come from a registered CMP.
  if (!Number.isInteger(cmpId) || cmpId < 2) throw invalid(`CMP id ${cmpId} is not a registered CMP`);
  const created = model.created;
  const lastUpdated = model.lastUpdated;
  if (
    !(created instanceof Date) ||
    Number.isNaN(created.getTime()) ||
    !(lastUpdated instanceof Date) ||
    Number.isNaN(lastUpdated.getTime())
  ) {
    throw invalid('its created/last-updated dates do not decode');
  }
  return {
    cmpId,
    cmpVersion: Number(model.cmpVersion),
    policyVersion,
    vendorListVersion: Number(model.vendorListVersion),
    consentLanguage: model.consentLanguage,
    publisherCountryCode: model.publisherCountryCode,
    purposeConsents: ids(model.purposeConsents),
    purposeLegitimateInterests: ids(model.purposeLegitimateInterests),
    vendorConsents: rangesOf(model.vendorConsents),
    vendorLegitimateInterests: rangesOf(model.vendorLegitimateInterests),
    specialFeatureOptins: ids(model.specialFeatureOptins),
    created,
    lastUpdated,
  };
}

function ids(vector: { forEach(callback: (value: boolean, id: number) => void): void }): number[] {
  const result: number[] = [];
  vector.forEach((value, id) => {
    if (value) result.push(id);
  });
  return result;
}

function invalid(reason: string): InvalidInput {
  return new InvalidInput(
    'consent.tcf_invalid',
    `The TC string is not a valid IAB TCF v2.2 string: ${reason}.`,
    { reason },
  );
}
