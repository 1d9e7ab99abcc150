/**
 * A farmer's question to the experts (ASK by SMS; later by voice): routed to the experts of the
 * asker's county, then escalated up the ladder (prefecture, then everyone) while unanswered —
 * Kisan Call Centre's and 12316's levels. Plain data.
 */
import type { Language } from '../reference/schemas.ts';
import type { Script } from '../subscribers/subscriber.ts';

/** Who sees it as theirs: the county's experts (1), the prefecture's (2), every expert (3). */
export const questionLevels = [1, 2, 3] as const;
export type QuestionLevel = (typeof questionLevels)[number];

/**
 * - open: waiting for an expert (again, after a follow-up);
 * - answered: the last message is an expert's;
 * - closed: made into a guide, or withdrawn by DELETE ME's erasure.
 */
export const questionStatuses = ['open', 'answered', 'closed'] as const;
export type QuestionStatus = (typeof questionStatuses)[number];

export interface QuestionMessage {
  from: 'farmer' | 'expert';
  text: string;
  at: string;
  /** The expert's phone (staff only: never shown to the farmer or the public). */
  by?: string;
  /** The inbound SMS (`<gateway>:<id>`) a farmer's message came from: a redelivery adds nothing. */
  messageId?: string;
  /**
   * Voice: the recording's key in the files bucket — a farmer's spoken question (its `text` may
   * then be ''), or an expert's recorded answer, which the caller hears on their next call.
   */
  audioKey?: string;
  /** An expert's recorded answer: when the caller heard it (it is not offered again). */
  heardAt?: string;
}

export interface Escalation {
  level: QuestionLevel;
  at: string;
  /** `time` (the job, after the configured hours) or `handed_on` (an expert). */
  reason: 'time' | 'handed_on';
  by?: string;
}

export interface Question {
  /** `Q` + digits (at least 3), e.g. Q4821: what the farmer types to follow up. */
  code: string;
  /** The asker's number: staff never see it whole (masked on pages), the public never. */
  phone: string;
  language: Language;
  script: Script;
  /** The asker's home region path, county first ([] when unknown: then it starts at level 3). */
  regionPath: string[];
  /** Detected in the text (the first catalog commodity named), if any. */
  commodityId?: string;
  status: QuestionStatus;
  level: QuestionLevel;
  /** The thread, oldest first: the question, answers, follow-ups. */
  messages: QuestionMessage[];
  escalations: Escalation[];
  /** When the first message came. */
  askedAt: string;
  /** When the farmer's latest unanswered message came (the queue's age and the escalation clock start here). */
  waitingSince?: string;
  /** When the next escalation is due (open questions below level 3). */
  dueAt?: string;
  firstAnsweredAt?: string;
  answeredAt?: string;
  claimedBy?: string;
  /** A claim lapses after `claimMinutes` (settings). */
  claimedUntil?: string;
  /** The guide made from it. */
  guideId?: string;
  version: number;
}

/** A row of the experts' queue. */
export interface QuestionSummary {
  code: string;
  language: Language;
  regionPath: string[];
  commodityId?: string;
  status: QuestionStatus;
  level: QuestionLevel;
  /** The first 160 characters of the latest farmer message. */
  preview: string;
  /** The latest farmer message was spoken (the voice line): its audio is on the question's page. */
  spoken?: boolean;
  askedAt: string;
  waitingSince?: string;
  claimedBy?: string;
  claimedUntil?: string;
  escalations: number;
}

/** One question's figures for the dashboard. */
export interface QuestionStat {
  code: string;
  askedAt: string;
  firstAnsweredAt?: string;
  escalations: number;
  level: QuestionLevel;
  commodityId?: string;
  language: Language;
  regionPath: string[];
}

/** Masks a number for staff pages: +86 138****0001. */
export const maskPhone = (phone: string): string =>
  phone.length > 8 ? `${phone.slice(0, phone.length - 8)}****${phone.slice(-4)}` : '****';
