import type { OutboundSms } from '#core/sms/messages.ts';
import type { GatewayResult, SmsGateway } from '#core/sms/ports.ts';

/**
 * The local "phone network": a sent SMS is simply marked sent in the table, where
 * GET /dev/outbox and the phone simulator read it. Printed too, so a developer signing in
 * sees the code in the terminal.
 */
export class LocalOutboxGateway implements SmsGateway {
  readonly name = 'local';
  constructor(private readonly print: (line: string) => void = () => {}) {}

  async send(msg: OutboundSms): Promise<GatewayResult> {
    this.print(`SMS → ${msg.to} [${msg.encoding}, ${msg.segments}]: ${msg.text}`);
    return { gatewayMessageId: `local-${msg.id}` };
  }
}
