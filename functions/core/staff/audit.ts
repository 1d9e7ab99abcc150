import { randomUUID } from 'node:crypto';
import { addDays, shanghaiDay } from '../dates.ts';
import type { Page, PageRequest } from '../paging.ts';

export type AuditAction =
  | 'auth.sign_in'
  | 'auth.sign_out'
  | 'auth.locked'
  | 'staff.invite'
  | 'staff.update'
  | 'staff.remove'
  | 'access.denied'
  | (string & {});

/** One staff action, kept for accountability: who, what, to whom, where, and whether it was allowed. */
export interface AuditEntry {
  id: string;
  at: string;
  /** The acting staff phone. */
  actor: string;
  action: AuditAction;
  /** Whom or what it was done to (a phone, a path). */
  target?: string;
  regions?: string[];
  outcome: 'ok' | 'denied';
  detail?: Record<string, string | number | boolean | string[]>;
  requestId?: string;
}

export function auditEntry(input: Omit<AuditEntry, 'id' | 'at'>, now: Date): AuditEntry {
  return { id: randomUUID(), at: now.toISOString(), ...input };
}

export interface AuditReader {
  listDay(day: string, page: PageRequest): Promise<Page<AuditEntry>>;
}

/**
 * The newest entries, walking back day by day (entries are kept per Asia/Shanghai day) for at
 * most `days` days: bounded work for the staff page's "recent activity".
 */
export async function recentAudit(audit: AuditReader, now: Date, limit: number, days = 7): Promise<AuditEntry[]> {
  const out: AuditEntry[] = [];
  const today = shanghaiDay(now);
  for (let i = 0; i < days && out.length < limit; i++) {
    const day = addDays(today, -i);
    const page = await audit.listDay(day, { limit: limit - out.length });
    out.push(...page.items);
  }
  return out;
}
