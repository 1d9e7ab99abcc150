/** What arrives from any gateway, after the adapter has unwrapped its envelope. */
export interface InboundSms {
  gateway: string;
  messageId: string;
  from: string;
  to?: string;
  text: string;
  receivedAt: string;
}

/** One line of a reply: a message key of the `sms` namespace and its parameters (compose-sms.ts makes the text). */
export interface ReplyLine {
  key: string;
  params?: Record<string, string | number>;
}

export type Encoding = 'GSM-7' | 'UCS-2';

/**
 * One SMS to send. `key` and `params` travel with the composed text so that template-only
 * gateways (mainland Chinese providers) can map the key to their registered template.
 */
export interface OutboundSms {
  /** Deterministic (derived from its cause), so a retry never sends twice. */
  id: string;
  to: string;
  text: string;
  encoding: Encoding;
  segments: number;
  key: string;
  params: Record<string, string | number>;
  /** Every line of a composed reply, in order (the first is `key` and `params`); set by the messenger. */
  lines?: Array<{ key: string; params: Record<string, string | number> }>;
  /** Essential messages (sign-in codes, STOP confirmations, direct replies) pass the daily budget guard. */
  essential: boolean;
  /** A STOP confirmation: the one SMS the absolute daily cap (SMS_DAILY_HARD_LIMIT) never stops. */
  optOutConfirmation?: boolean;
  createdAt: string;
  /** The broadcast it belongs to: its status changes move that broadcast's counters (the outbound store does). */
  broadcastId?: string;
  /** The fan-out page that recorded it (`<partition>:<cursor hash>`), so a replayed page counts its own recipients once. */
  broadcastPage?: string;
  /** Set once the guards admitted it (core/sms/admission.ts): the Asia/Shanghai day its segments were counted on. */
  admittedOn?: string;
}

export type DeliveryStatus = 'queued' | 'sent' | 'delivered' | 'failed' | 'blocked' | 'unknown';
