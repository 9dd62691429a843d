import type { Language, PiiType } from '../pii-types.ts';

/** Words near a candidate that make it more (`raise`) or less (`lower`) likely to be that type. */
export interface ContextWords {
  raise: readonly string[];
  lower: readonly string[];
}

type ContextTable = Partial<Record<PiiType, Partial<Record<Language, ContextWords>>>>;

/**
 * Per type and language, lower-case; matched as whole words (a phrase may span several words).
 * Like Presidio's and Google DLP's hotwords: they move a validated candidate's score, they never
 * create a finding by themselves.
 */
export const CONTEXT_WORDS: ContextTable = {
  phone_number: {
    en: {
      raise: 'phone|tel|telephone|mobile|cell|call|fax|contact|number|reach me|whatsapp|sms|text me'.split(
        '|',
      ),
      lower: (
        'order|invoice|tracking|ticket|ref|reference|sku|serial|id|build|version|account|iban|' +
        'amount|total'
      ).split('|'),
    },
    de: {
      raise: (
        'telefon|tel|telefonnummer|handy|mobil|mobilnummer|rufnummer|anrufen|erreichbar|fax|' +
        'festnetz|rückruf'
      ).split('|'),
      lower: (
        'bestellung|bestellnummer|rechnung|rechnungsnummer|sendungsnummer|auftrag|auftragsnummer|' +
        'kundennummer|artikel|vorgang|aktenzeichen|betrag'
      ).split('|'),
    },
    fr: {
      raise: (
        'téléphone|tel|tél|portable|mobile|appeler|appelez|appelé|rappeler|joignable|fax|numéro|' + 'fixe'
      ).split('|'),
      lower: 'commande|facture|suivi|colis|référence|réf|dossier|article|montant|client n°'.split('|'),
    },
  },
  credit_card: {
    en: {
      raise: (
        'card|credit card|debit card|visa|mastercard|amex|american express|cc|pan|payment|' +
        'paid with|card number|card no'
      ).split('|'),
      lower: (
        'order|order number|tracking|tracking number|sku|invoice|serial|isbn|ean|barcode|imei|' +
        'reference|transaction id'
      ).split('|'),
    },
    de: {
      raise: ['karte', 'kreditkarte', 'kartennummer', 'girocard', 'ec-karte', 'bezahlt mit', 'zahlung'],
      lower: (
        'bestellnummer|bestellung|sendungsnummer|rechnungsnummer|artikelnummer|seriennummer|' +
        'auftragsnummer|vorgangsnummer'
      ).split('|'),
    },
    fr: {
      raise: ['carte', 'carte bancaire', 'carte de crédit', 'cb', 'numéro de carte', 'payé avec', 'paiement'],
      lower: 'commande|numéro de commande|suivi|colis|facture|référence|numéro de série|article'.split('|'),
    },
  },
  iban: {
    en: { raise: ['iban', 'account', 'bank', 'bank account', 'transfer', 'wire'], lower: [] },
    de: {
      raise: ['iban', 'konto', 'kontonummer', 'bankverbindung', 'überweisung', 'lastschrift'],
      lower: [],
    },
    fr: { raise: ['iban', 'compte', 'rib', 'virement', 'coordonnées bancaires', 'prélèvement'], lower: [] },
  },
  ip_address: {
    en: {
      raise: 'ip|ip address|client|remote|remote_addr|src|source|from|host|login from|connected'.split('|'),
      lower: ['version', 'v', 'release', 'build', 'oid', 'chapter', 'section', 'figure'],
    },
    de: {
      raise: ['ip', 'ip-adresse', 'adresse', 'zugriff von', 'verbunden'],
      lower: ['version', 'kapitel', 'abschnitt'],
    },
    fr: {
      raise: ['ip', 'adresse ip', 'connexion depuis', 'connecté'],
      lower: ['version', 'chapitre', 'section'],
    },
  },
  mac_address: {
    en: { raise: ['mac', 'mac address', 'hwaddr', 'ether', 'bssid', 'device'], lower: [] },
    de: { raise: ['mac', 'mac-adresse', 'gerät'], lower: [] },
    fr: { raise: ['mac', 'adresse mac', 'appareil'], lower: [] },
  },
  national_id: {
    en: {
      raise: [
        'id',
        'identity',
        'national id',
        'id number',
        'identification',
        'ssn',
        'social security',
        'national insurance',
        'passport',
      ],
      lower: ['order', 'invoice', 'tracking', 'sku', 'ticket', 'phone', 'tel'],
    },
    de: {
      raise: [
        'ausweis',
        'identität',
        'id-nummer',
        'steuer-id',
        'steuernummer',
        'sozialversicherungsnummer',
        'versicherungsnummer',
      ],
      lower: ['bestellnummer', 'rechnungsnummer', 'sendungsnummer', 'telefon', 'tel'],
    },
    fr: {
      raise: ["pièce d'identité", 'identité', 'sécurité sociale', 'numéro de sécu', 'insee'],
      lower: ['commande', 'facture', 'suivi', 'téléphone', 'tél'],
    },
  },
  postal_code: {
    en: {
      raise: ['zip', 'zip code', 'postcode', 'post code', 'postal code'],
      lower: ['order', 'invoice', 'id', 'ticket', 'version'],
    },
    de: { raise: ['plz', 'postleitzahl'], lower: ['bestellnummer', 'rechnung', 'kundennummer'] },
    fr: { raise: ['code postal', 'cp'], lower: ['commande', 'facture'] },
  },
  person_name: {
    en: {
      raise: (
        'name|full name|customer|client|contact|patient|employee|user|dear|hey|hi|hello|regards|' +
        'sincerely|signed|cc|assigned to|spoke with|called|referred by|requested by|reported by|' +
        'signed by|sent by|submitted by|thanks|thank you|cheers|ship to|deliver to|shipping label|' +
        'recipient|addressee|attn|c/o|account holder'
      ).split('|'),
      lower: ['street', 'avenue', 'road', 'company', 'inc', 'ltd', 'llc', 'corp', 'gmbh', 'product'],
    },
    de: {
      raise: (
        'name|vorname|nachname|kunde|kundin|ansprechpartner|ansprechpartnerin|patient|patientin|' +
        'hallo|hi|hey|moin|servus|liebe|lieber|grüße|grüßen|im auftrag von|gemeldet von|angefragt von|' +
        'danke|lieferadresse|empfänger|empfängerin|zu händen|z. hd.|kontoinhaber|kontoinhaberin'
      ).split('|'),
      lower: ['straße', 'strasse', 'weg', 'platz', 'gmbh', 'ag', 'kg', 'firma', 'produkt'],
    },
    fr: {
      raise: (
        'nom|prénom|client|cliente|contact|patient|patiente|bonjour|salut|coucou|cher|chère|' +
        'cordialement|salutations|de la part de|demandé par|signalé par|merci|bien à vous|' +
        "livraison|destinataire|à l'attention de|titulaire"
      ).split('|'),
      lower: ['rue', 'avenue', 'boulevard', 'place', 'société', 'sarl', 'sas', 'produit'],
    },
  },
  url: {
    en: { raise: ['profile', 'homepage', 'website', 'link'], lower: ['docs', 'documentation'] },
    de: { raise: ['profil', 'webseite', 'link'], lower: ['dokumentation'] },
    fr: { raise: ['profil', 'site', 'lien'], lower: ['documentation'] },
  },
};

/** Words right before a date that make it a date of birth (required: a bare date is not personal data). */
export const BIRTH_WORDS: Readonly<Record<Language, readonly string[]>> = {
  en: 'born|born on|birth|birthday|date of birth|dob|d.o.b|d.o.b.|birthdate|birth date|b.'.split('|'),
  de: ['geboren', 'geboren am', 'geb', 'geb.', 'geburtsdatum', 'geburtstag', 'geburt', 'jahrgang'],
  fr: ['né', 'née', 'né le', 'née le', 'naissance', 'date de naissance', 'anniversaire', 'né(e)', 'né(e) le'],
};

/** Titles before a name, per language; matched case-sensitively as written. */
export const HONORIFICS: Readonly<Record<Language, readonly string[]>> = {
  en: 'Mr|Mr.|Mrs|Mrs.|Ms|Ms.|Miss|Mx|Mx.|Dr|Dr.|Prof|Prof.|Sir|Dame|Lady|Lord'.split('|'),
  de: ['Herr', 'Herrn', 'Frau', 'Dr.', 'Prof.', 'Prof. Dr.'],
  fr: 'M.|Mme|Mme.|Mlle|Mlle.|Monsieur|Madame|Mademoiselle|Dr|Dr.|Pr|Pr.|Me|Maître'.split('|'),
};
