/**
 * PLACEHOLDER (issue 15, Part A): the template registry is Part B's file, which replaces this
 * one. Only the contract Part A codes against (SPEC-15) is here, with a stand-in behaviour:
 * every key goes out as template `ZD_<KEY>` with its parameters as text.
 */
import type { OutboundSms } from './messages.ts';

export interface TemplateChoice {
  templateCode: string;
  params: Record<string, string>;
}
export type TemplateRefusal = { refused: 'no_template' | 'free_text' | 'script'; key: string };

/** A deployment's registry (Part B defines its real shape). */
export interface TemplateRegistry {
  templates: Record<string, { templateCode: string; params: string[] }>;
}

/** The registered template a message goes out as, or why it cannot. Pure. */
export function chooseTemplate(registry: TemplateRegistry, msg: OutboundSms): TemplateChoice | TemplateRefusal {
  const entry = registry.templates[msg.key];
  const params = Object.fromEntries(Object.entries(msg.params).map(([k, v]) => [k, String(v)]));
  if (entry) return { templateCode: entry.templateCode, params };
  if (!msg.key) return { refused: 'no_template', key: msg.key };
  return { templateCode: `ZD_${msg.key.replace(/[^A-Za-z0-9]+/g, '_').toUpperCase()}`, params };
}
