/** What decided a column's rule, strongest first: an override, the data map's category, the type, a key. */
export const RULE_SOURCES = ['override', 'category', 'type', 'foreign_key'] as const;
export type RuleSource = (typeof RULE_SOURCES)[number];
