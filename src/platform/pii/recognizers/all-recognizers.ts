import { creditCardRecognizer } from './credit-card-recognizer.ts';
import { dateOfBirthRecognizer } from './date-of-birth-recognizer.ts';
import { emailRecognizer } from './email-recognizer.ts';
import { ibanRecognizer } from './iban-recognizer.ts';
import { ipAddressRecognizer } from './ip-address-recognizer.ts';
import { macAddressRecognizer } from './mac-address-recognizer.ts';
import { nationalIdRecognizer } from './national-id-recognizer.ts';
import { personNameRecognizer } from './person-name-recognizer.ts';
import { phoneNumberRecognizer } from './phone-number-recognizer.ts';
import { postalAddressRecognizer } from './postal-address-recognizer.ts';
import { postalCodeRecognizer } from './postal-code-recognizer.ts';
import type { Recognizer } from './recognizer.ts';
import { urlRecognizer } from './url-recognizer.ts';

/** Every detector family, each one pass over the text. */
export const ALL_RECOGNIZERS: readonly Recognizer[] = [
  emailRecognizer,
  urlRecognizer,
  ipAddressRecognizer,
  macAddressRecognizer,
  ibanRecognizer,
  creditCardRecognizer,
  phoneNumberRecognizer,
  nationalIdRecognizer,
  dateOfBirthRecognizer,
  postalAddressRecognizer,
  postalCodeRecognizer,
  personNameRecognizer,
];
