/** The voice line's limits (VOICE_* config; the defaults are the issue's). */
export interface VoiceSettings {
  /** Unknown keys or silences in a row before the polite goodbye (and the SMS of how to use the line). */
  maxTries: number;
  /** A spoken question's longest recording. */
  recordSeconds: number;
  /** Gather: seconds to wait after the prompt (or the last key). */
  gatherTimeoutSeconds: number;
  /** Items in the commodity menu (1 …); the rest by two-digit sheet number. */
  menuItems: number;
  /** Markets a price is spoken for, nearest the caller's home first. */
  markets: number;
  /** SMS one call may send (key 8 and the help SMS): a bound on what a caller can make us send. */
  smsPerCall: number;
  /** Calls one number may make a day before the line only says goodbye (a bound on abuse). */
  callsPerDay: number;
  /** A studio clip's longest recording. */
  clipMaxSeconds: number;
  /** Local mode: clips without an approved recording play a generated placeholder. Never in AWS. */
  placeholders: boolean;
}

export const defaultVoiceSettings: VoiceSettings = {
  maxTries: 3,
  recordSeconds: 60,
  gatherTimeoutSeconds: 5,
  menuItems: 5,
  markets: 3,
  smsPerCall: 3,
  callsPerDay: 30,
  clipMaxSeconds: 30,
  placeholders: false,
};
