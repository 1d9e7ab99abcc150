/** Knowledge limits and the experts' escalation ladder (KNOWLEDGE_* / ASK_* config; the defaults are the issue's). */
export interface KnowledgeSettings {
  /** Unanswered this long after the farmer's message, a question goes to the prefecture's experts. */
  escalateToPrefectureHours: number;
  /** …and this long after it, to every expert. */
  escalateToAllHours: number;
  /** The answer time the acknowledgement promises (the ladder's end). */
  answerWithinHours: number;
  /** Questions (new and follow-ups) one number may send a day (Asia/Shanghai). */
  askDailyLimit: number;
  /**
   * A question's text is kept whole up to this many characters (a long question comes as a
   * multi-part SMS, which the gateway joins: well past 500 characters); longer is refused, a
   * bound against pasted floods. 1,600 is the longest joined SMS common gateways hand over.
   */
  maxQuestionChars: number;
  /** An expert's claim lapses after this many minutes. */
  claimMinutes: number;
  /** SMS segments: summaries (any script), answers in Tibetan; guides' zh/en summaries and zh answers have their own. */
  maxSummarySegments: number;
  /** TIP replies in Chinese or English are one segment, so a guide's zh and en summaries must fit one. */
  maxGuideSummarySegmentsLatin: number;
  maxAnswerSegments: number;
}

export const defaultKnowledgeSettings: KnowledgeSettings = {
  escalateToPrefectureHours: 24,
  escalateToAllHours: 48,
  answerWithinHours: 72,
  askDailyLimit: 5,
  maxQuestionChars: 1600,
  claimMinutes: 60,
  maxSummarySegments: 2,
  maxGuideSummarySegmentsLatin: 1,
  maxAnswerSegments: 2,
};
