/**
 * Where a system's `region` is, as an ISO 3166-1 alpha-2 country: either the region is a country
 * code already (`DE`), or a cloud provider's region name. Only the regions listed are known; an
 * unknown region is reported by the compliance check rather than guessed, because a wrong guess
 * would hide a transfer (GDPR Art. 44).
 */
// prettier-ignore
const CLOUD_REGIONS: Record<string, string> = {
  // AWS
  'us-east-1': 'US', 'us-east-2': 'US', 'us-west-1': 'US', 'us-west-2': 'US',
  'ca-central-1': 'CA', 'ca-west-1': 'CA', 'sa-east-1': 'BR', 'mx-central-1': 'MX',
  'eu-central-1': 'DE', 'eu-central-2': 'CH', 'eu-west-1': 'IE', 'eu-west-2': 'GB', 'eu-west-3': 'FR',
  'eu-north-1': 'SE', 'eu-south-1': 'IT', 'eu-south-2': 'ES',
  'il-central-1': 'IL', 'me-central-1': 'AE', 'me-south-1': 'BH', 'af-south-1': 'ZA',
  'ap-northeast-1': 'JP', 'ap-northeast-2': 'KR', 'ap-northeast-3': 'JP', 'ap-southeast-1': 'SG',
  'ap-southeast-2': 'AU', 'ap-southeast-3': 'ID', 'ap-south-1': 'IN', 'ap-east-1': 'HK',
  // Google Cloud
  'europe-west1': 'BE', 'europe-west2': 'GB', 'europe-west3': 'DE', 'europe-west4': 'NL',
  'europe-west6': 'CH', 'europe-west8': 'IT', 'europe-west9': 'FR', 'europe-west10': 'DE',
  'europe-west12': 'IT', 'europe-north1': 'FI', 'europe-central2': 'PL', 'europe-southwest1': 'ES',
  'us-central1': 'US', 'us-east1': 'US', 'us-east4': 'US', 'us-west1': 'US', 'us-west2': 'US',
  'northamerica-northeast1': 'CA', 'southamerica-east1': 'BR', 'asia-northeast1': 'JP',
  'asia-northeast3': 'KR', 'asia-southeast1': 'SG', 'australia-southeast1': 'AU',
  // Azure
  westeurope: 'NL', northeurope: 'IE', germanywestcentral: 'DE', francecentral: 'FR',
  swedencentral: 'SE', italynorth: 'IT', polandcentral: 'PL', spaincentral: 'ES', norwayeast: 'NO',
  switzerlandnorth: 'CH', uksouth: 'GB', ukwest: 'GB', eastus: 'US', eastus2: 'US', westus: 'US',
  westus2: 'US', centralus: 'US', canadacentral: 'CA', japaneast: 'JP', koreacentral: 'KR',
};

/** The country of a region, or undefined when it is neither a country code nor a known cloud region. */
export function countryOfRegion(region: string): string | undefined {
  const trimmed = region.trim();
  if (/^[A-Z]{2}$/.test(trimmed)) return trimmed;
  return CLOUD_REGIONS[trimmed.toLowerCase()];
}
