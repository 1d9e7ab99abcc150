/**
 * The languages clips exist in: the line speaks bo and zh; en clips are development
 * placeholders only (a developer who reads neither can follow /dev/voice).
 */
export type SpeechLanguage = 'bo' | 'zh' | 'en';
export const speechLanguages: readonly SpeechLanguage[] = ['bo', 'zh', 'en'];
