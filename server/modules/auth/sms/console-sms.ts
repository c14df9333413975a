import type { SmsMessage, SmsProvider } from './sms-provider'

/**
 * Prints each message on stdout ("[SMS to +84…] …") so that whoever runs the demo can read the
 * code. It also remembers the last message per number for the development-only endpoint that
 * the browser tests read (GET /api/dev/last-otp); production never registers that endpoint.
 */
export class ConsoleSmsProvider implements SmsProvider {
  readonly name = 'console'
  private readonly last = new Map<string, { text: string; at: Date }>()

  constructor(private readonly options: { print: boolean } = { print: true }) {}

  async send(message: SmsMessage) {
    this.last.set(message.to, { text: message.text, at: new Date() })
    // Bounded: a long-running dev server must not grow without limit.
    if (this.last.size > 1000) this.last.delete(this.last.keys().next().value as string)
    if (this.options.print) process.stdout.write(`[SMS to ${message.to}] ${message.text}\n`)
    return { providerId: null }
  }

  lastMessage(to: string): { text: string; at: Date } | undefined {
    return this.last.get(to)
  }
}
