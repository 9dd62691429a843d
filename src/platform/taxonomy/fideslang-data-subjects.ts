import type { FideslangEntry } from './taxonomy-types.ts';

/**
 * The fideslang default data subjects (fideslang 3.x, Apache-2.0, Ethyca Inc.), as data: [key, name,
 * description, replacedBy?]. Entries with replacedBy are deprecated in fideslang 3.2 and still accepted,
 * so datasets written for older fideslang versions keep validating; Steward warns and names the successor.
 */
export const FIDESLANG_DATA_SUBJECTS: readonly FideslangEntry[] = [
  [
    'anonymous_user',
    'Anonymous User',
    'An individual that is unidentifiable to the systems. Note - This should only be applied to truly anonymous users where there is no risk of re-identification',
  ],
  ['citizen_voter', 'Citizen Voter', 'An individual registered to voter with a state or authority.'],
  [
    'commuter',
    'Commuter',
    'An individual that is traveling or transiting in the context of location tracking.',
  ],
  [
    'consultant',
    'Consultant',
    'An individual employed in a consultative/temporary capacity by the organization.',
  ],
  [
    'customer',
    'Customer',
    'An individual or other organization that purchases goods or services from the organization.',
  ],
  ['employee', 'Employee', 'An individual employed by the organization.'],
  ['job_applicant', 'Job Applicant', 'An individual applying for employment to the organization.'],
  [
    'next_of_kin',
    'Next of Kin',
    'A relative of any other individual subject where such a relationship is known.',
  ],
  ['passenger', 'Passenger', 'An individual traveling on some means of provided transport.'],
  ['patient', 'Patient', 'An individual identified for the purposes of any medical care.'],
  [
    'prospect',
    'Prospect',
    'An individual or organization to whom an organization is selling goods or services.',
  ],
  ['shareholder', 'Shareholder', 'An individual or organization that holds equity in the organization.'],
  [
    'supplier_vendor',
    'Supplier/Vendor',
    'An individual or organization that provides services or goods to the organization.',
  ],
  ['trainee', 'Trainee', 'An individual undergoing training by the organization.'],
  ['visitor', 'Visitor', 'An individual visiting a location.'],
];
