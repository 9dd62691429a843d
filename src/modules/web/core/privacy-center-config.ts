import { z } from 'zod';

/** The languages the web apps ship message files for; a text in config may be given per language. */
export const WEB_LANGUAGES = ['en', 'de', 'fr'] as const;

/** The request types the privacy center can offer: GDPR's rights and CCPA's names for theirs. */
export const PRIVACY_CENTER_REQUEST_TYPES = [
  'access',
  'portability',
  'erasure',
  'rectification',
  'restriction',
  'objection',
  'know',
  'delete',
  'correct',
  'opt_out',
] as const;

const identityName = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,62}$/, 'must be an identity name such as email or phone');

/** One text, or one per language (`{ en: …, de: … }`); the app falls back to English, then to its own. */
export const localizedTextSchema = z.union([
  z.string().min(1).max(2000),
  z.partialRecord(z.enum(WEB_LANGUAGES), z.string().min(1).max(2000)),
]);

const correctionTargetSchema = z
  .object({
    category: z
      .string()
      .min(1)
      .describe('A data category whose fields the new value replaces, e.g. user.contact.address.city.'),
    label: localizedTextSchema.describe('What the form calls it.'),
  })
  .strict();

export const privacyCenterActionSchema = z
  .object({
    type: z.enum(PRIVACY_CENTER_REQUEST_TYPES),
    title: localizedTextSchema.optional(),
    description: localizedTextSchema.optional(),
    identityInputs: z
      .record(identityName, z.enum(['required', 'optional']))
      .default({ email: 'required' })
      .describe(
        'Identity fields the form asks for. email is always asked and required: the one-time code goes there.',
      ),
    corrections: z
      .array(correctionTargetSchema)
      .max(20)
      .optional()
      .describe('rectification and correct only: what a person may correct through the form.'),
  })
  .strict();

const hexColour = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour like #1c7ed6');

export const privacyCenterSchema = z
  .object({
    title: localizedTextSchema
      .optional()
      .describe("The page title; default: the app's own translated title."),
    description: localizedTextSchema.optional(),
    logoUrl: z
      .string()
      .regex(/^(https:\/\/|\/)/, 'must be an https:// URL or a path on this server')
      .max(2000)
      .optional()
      .describe('Shown in the header; its origin is added to the content security policy.'),
    logoAlt: localizedTextSchema.optional(),
    primaryColor: hexColour.default('#1c64c8').describe('Buttons, links and focus rings.'),
    policyUrl: z.string().url().max(2000).optional().describe('Your privacy policy, linked in the footer.'),
    actions: z
      .array(privacyCenterActionSchema)
      .min(1)
      .optional()
      .describe('The request forms offered, in this order. Default: every GDPR and CCPA right.'),
    consent: z
      .object({
        enabled: z.boolean().default(true),
        title: localizedTextSchema.optional(),
        description: localizedTextSchema.optional(),
      })
      .strict()
      .default({ enabled: true }),
  })
  .strict();

export type PrivacyCenterSettings = z.infer<typeof privacyCenterSchema>;
export type PrivacyCenterAction = z.infer<typeof privacyCenterActionSchema>;

/** What a person can correct when the configuration does not say: name, postal address, phone. */
const DEFAULT_CORRECTIONS = [
  { category: 'user.name', label: { en: 'Name', de: 'Name', fr: 'Nom' } },
  {
    category: 'user.contact.address',
    label: { en: 'Postal address', de: 'Postanschrift', fr: 'Adresse postale' },
  },
  {
    category: 'user.contact.phone_number',
    label: { en: 'Phone number', de: 'Telefonnummer', fr: 'Téléphone' },
  },
];

/** The privacy center a tenant gets without configuration: every right, asked for by email. */
export function defaultActions(): PrivacyCenterAction[] {
  return PRIVACY_CENTER_REQUEST_TYPES.map((type) => ({
    type,
    identityInputs: { email: 'required' },
    ...(type === 'rectification' || type === 'correct' ? { corrections: DEFAULT_CORRECTIONS } : {}),
  }));
}

/**
 * A tenant's privacy center as the app renders it: its settings or the defaults, every action with
 * email required (the one-time code is mailed there) and the correction targets rectification needs.
 */
export function resolvePrivacyCenter(
  tenantId: string,
  configured: Record<string, PrivacyCenterSettings>,
): PrivacyCenterSettings & { tenant: string; actions: PrivacyCenterAction[] } {
  const settings = configured[tenantId] ?? privacyCenterSchema.parse({});
  const actions = (settings.actions ?? defaultActions()).map((action) => ({
    ...action,
    identityInputs: { ...action.identityInputs, email: 'required' as const },
    ...((action.type === 'rectification' || action.type === 'correct') && !action.corrections
      ? { corrections: DEFAULT_CORRECTIONS }
      : {}),
  }));
  return { ...settings, tenant: tenantId, actions };
}

/** Origins the content security policy must allow images from, for the configured logos. */
export function logoOrigins(configured: Record<string, PrivacyCenterSettings>): string[] {
  const origins = new Set<string>();
  for (const settings of Object.values(configured)) {
    if (settings.logoUrl?.startsWith('https://')) origins.add(new URL(settings.logoUrl).origin);
  }
  return [...origins].sort();
}
