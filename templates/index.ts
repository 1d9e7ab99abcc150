/**
 * Every deployment's template registry, by name (SMS_TEMPLATES picks one). A static import map,
 * so esbuild bundles the registries into the Lambda: nothing is read from disk at run time.
 * Add a deployment: its `<name>.json` here, one import and one line.
 */
import { parseRegistry, type TemplateRegistry } from '../functions/core/sms/templates.ts';
import defaultRegistry from './default.json' with { type: 'json' };

export const registries: Record<string, TemplateRegistry> = {
  default: parseRegistry('templates/default.json', defaultRegistry),
};
