import type { Language, Translator } from '#core/i18n.ts';
import type { FileStore, HealthProbe, ReferenceRepository } from '#core/ports.ts';

/** Everything the HTTP app needs from outside, built by the wiring module. */
export interface AppDeps {
  reference: ReferenceRepository;
  health: HealthProbe;
  files: FileStore;
  mode: 'local' | 'aws';
  /** Structured log sink; stdout JSON lines by default. */
  log?: (entry: Record<string, unknown>) => void;
}

export interface AppEnv {
  Variables: {
    requestId: string;
    language: Language;
    t: Translator;
  };
}
