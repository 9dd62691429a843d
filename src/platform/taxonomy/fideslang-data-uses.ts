import type { FideslangEntry } from './taxonomy-types.ts';

/**
 * The fideslang default data uses (fideslang 3.x, Apache-2.0, Ethyca Inc.), as data: [key, name,
 * description, replacedBy?]. Entries with replacedBy are deprecated in fideslang 3.2 and still accepted,
 * so datasets written for older fideslang versions keep validating; Steward warns and names the successor.
 */
export const FIDESLANG_DATA_USES: readonly FideslangEntry[] = [
  [
    'analytics',
    'Analytics',
    'Provides analytics for activities such as system and advertising performance reporting, insights and fraud detection.',
  ],
  [
    'analytics.reporting',
    'Analytics for Reporting',
    'Provides analytics for general reporting such as system and advertising performance.',
  ],
  [
    'analytics.reporting.ad_performance',
    'Analytics for Advertising Performance',
    'Provides analytics for reporting of advertising performance.',
  ],
  [
    'analytics.reporting.content_performance',
    'Analytics for Content Performance',
    'Analytics for reporting on content performance.',
  ],
  [
    'analytics.reporting.campaign_insights',
    'Analytics for Insights',
    'Provides analytics for reporting of campaign insights related to advertising and promotion activities.',
  ],
  [
    'analytics.reporting.system',
    'Analytics for System Activity',
    'Provides analytics for reporting on system activity.',
  ],
  [
    'analytics.reporting.system.performance',
    'Analytics for System Performance',
    'Provides analytics for reporting on system performance.',
  ],
  [
    'collect',
    'Collect',
    'Collects or stores data in order to use it for another purpose which has not yet been expressly defined.',
  ],
  [
    'employment',
    'Employment',
    'Processes data for the purpose of recruitment or employment and human resources (HR) related activities.',
  ],
  [
    'employment.recruitment',
    'Employment Recruitment',
    'Processes data of prospective employees for the purpose of recruitment.',
  ],
  [
    'essential',
    'Essential',
    'Operates the service or product, including legal obligations, support and basic system operations.',
  ],
  [
    'essential.fraud_detection',
    'Essential Fraud Detection',
    'Detects possible fraud or misuse of the product, service, application or system.',
  ],
  [
    'essential.legal_obligation',
    'Essential Legal Obligation',
    'Provides service to meet a legal or compliance obligation such as consent management.',
  ],
  [
    'essential.service',
    'Essential for Service',
    'Provides the essential product, service, application or system, without which the product/service would not be possible.',
  ],
  [
    'essential.service.authentication',
    'Essential Service Authentication',
    'Authenticate users to the product, service, application or system.',
  ],
  [
    'essential.service.notifications',
    'Essential Service Notifications',
    'Sends notifications about the product, service, application or system.',
  ],
  [
    'essential.service.operations',
    'Essential for Operations',
    'Essential to ensure the operation of the product, service, application or system.',
  ],
  [
    'essential.service.payment_processing',
    'Essential for Payment Processing',
    'Essential to processes payments for the product, service, application or system.',
  ],
  [
    'essential.service.security',
    'Essential for Security',
    'Essential to provide security for the product, service, application or system',
  ],
  [
    'essential.service.upgrades',
    'Essential for Service Upgrades',
    'Provides timely system upgrade information options.',
  ],
  [
    'essential.service.notifications.email',
    'Essential Email Service Notifications',
    'Sends email notifications about the product, service, application or system.',
  ],
  [
    'essential.service.notifications.sms',
    'Essential SMS Service Notifications',
    'Sends SMS notifications about the product, service, application or system.',
  ],
  [
    'essential.service.operations.support',
    'Essential for Operations Support',
    'Provides support for the product, service, application or system.',
  ],
  [
    'essential.service.operations.improve',
    'Essential for Support Improvement',
    'Essential to optimize and improve support for the product, service, application or system.',
  ],
  ['finance', 'Finance', 'Enables finance and accounting activities such as audits and tax reporting.'],
  ['functional', 'Functional', 'Used for specific, necessary, and legitimate purposes'],
  [
    'functional.storage',
    'Local Data Storage',
    'Stores or accesses information from the device as needed when using a product, service, application, or system',
  ],
  [
    'functional.service',
    'Service',
    'Functions relating to provided services, products, applications or systems.',
  ],
  [
    'functional.service.improve',
    'Improve Service',
    'Improves the specific product, service, application or system.',
  ],
  [
    'functional.storage.privacy_preferences',
    'Local Data Storage for Privacy Preferences',
    'Stores or accesses privacy preferences information from the device as needed when using a product, service, application, or system',
  ],
  [
    'marketing',
    'Marketing',
    'Enables marketing, promotion, advertising and sales activities for the product, service, application or system.',
  ],
  [
    'marketing.advertising',
    'Advertising, Marketing or Promotion',
    'Advertises or promotes the product, service, application or system and associated services.',
  ],
  [
    'marketing.communications',
    'Marketing Communications',
    'Uses combined channels to message and market to a customer, user or prospect.',
  ],
  [
    'marketing.advertising.first_party',
    'First Party Advertising',
    'Serves advertisements based on first party data collected or derived about the user.',
  ],
  [
    'marketing.advertising.frequency_capping',
    'Frequency Capping',
    'Restricts the number of times a specific advertisement is shown to an individual.',
  ],
  [
    'marketing.advertising.negative_targeting',
    'Negative Targeting',
    'Enforces rules used to ensure a certain audience or group is not targeted by advertising.',
  ],
  [
    'marketing.advertising.profiling',
    'Profiling for Advertising',
    'Creates audience profiles for the purpose of targeted advertising',
  ],
  [
    'marketing.advertising.serving',
    'Essential for Serving Ads',
    'Essential to the delivery of advertising and content.',
  ],
  [
    'marketing.advertising.third_party',
    'Third Party Advertising',
    'Serves advertisements based on data within the system or joined with data provided by 3rd parties.',
  ],
  [
    'marketing.advertising.first_party.contextual',
    'First Party Contextual Advertising',
    'Serves advertisements based on current content being viewed by the user of the system or service.',
  ],
  [
    'marketing.advertising.first_party.targeted',
    'First Party Personalized Advertising',
    'Targets advertisements based on data collected or derived about the user from use of the system.',
  ],
  [
    'marketing.advertising.third_party.targeted',
    'Third Party Targeted Advertising',
    'Targets advertisements based on data within the system or joined with data provided by 3rd parties.',
  ],
  [
    'marketing.communications.email',
    'Marketing Email Communications',
    'Sends email marketing communications.',
  ],
  ['marketing.communications.sms', 'Marketing SMS Communications', 'Sends SMS marketing communications.'],
  ['operations', 'Operations', "Supports business processes necessary to the organization's operation."],
  ['personalize', 'Personalize', 'Personalizes the product, service, application or system.'],
  [
    'personalize.content',
    'Content Personalization',
    'Personalizes the content of the product, service, application or system.',
  ],
  [
    'personalize.profiling',
    'Personalized Profiling',
    'Creates profiles for the purpose of serving content.',
    'personalize.content.profiling',
  ],
  ['personalize.system', 'System Personalization', 'Personalizes the system.'],
  [
    'personalize.content.limited',
    'Limited Content Personalization',
    'Uses limited data for the purpose of serving content.',
  ],
  [
    'personalize.content.profiling',
    'Profiling for Personalization',
    'Creates profiles for the purpose of serving content.',
  ],
  [
    'personalize.content.profiled',
    'Targeted Content Personalization',
    'Uses profiles for the purpose of serving content.',
  ],
  ['sales', 'Sales', 'Supports sales activities such as communications and outreach.'],
  [
    'third_party_sharing',
    'Third Party Sharing',
    "Transfers data to third parties outside of the system or service's scope.",
  ],
  [
    'third_party_sharing.legal_obligation',
    'Sharing for Legal Obligation',
    'Shares data for legal obligations, including contracts, applicable laws or regulations.',
  ],
  ['train_ai_system', 'Train AI System', 'Trains an AI system or data model for machine learning.'],
];
