/** Who records or changes consent, as the ledger and the audit log keep it. Never an email or a name. */
export interface ChangeActor {
  kind: 'user' | 'api_key' | 'system' | 'anonymous';
  id: string;
  tenantId: string;
  requestId?: string;
}
