import { z } from 'zod';

function lines(text: string): string[] {
  return text.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
}

const keyValueLines = (separator: '=' | ':', what: string) =>
  z
    .string()
    .default('')
    .transform((text, ctx) => {
      const out: Record<string, string> = {};
      for (const line of lines(text)) {
        const at = line.indexOf(separator);
        const key = at > 0 ? line.slice(0, at).trim() : '';
        const valid = separator === '=' ? /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) : /^[A-Za-z0-9-]+$/.test(key);
        if (!valid) {
          ctx.addIssue({ code: 'custom', message: `Write one ${what} per line as ${separator === '=' ? 'NAME=value' : 'Header-Name: value'}.` });
          return z.NEVER;
        }
        out[key] = line.slice(at + 1).trim();
      }
      return out;
    });

const commaList = z
  .string()
  .default('')
  .transform((s) => s.split(',').map((x) => x.trim().toLowerCase()).filter(Boolean))
  .pipe(z.array(z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'Use lowercase labels separated by commas.')));

export const registerUpstreamSchema = z
  .object({
    slug: z.string().trim().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'Use 2–63 lowercase letters, digits or dashes: clients reach it at /api/mcp/<name>.'),
    name: z.string().trim().min(1, 'Give it a name people recognise.').max(100),
    description: z.string().trim().max(500).default(''),
    transport: z.enum(['http', 'stdio'], { message: 'Choose Streamable HTTP or stdio.' }),
    url: z.string().trim().default(''),
    command: z.string().trim().default(''),
    args: z.string().default('').transform(lines),
    env: keyValueLines('=', 'variable'),
    secretHeaders: keyValueLines(':', 'header'),
    secretEnv: keyValueLines('=', 'variable'),
    labels: commaList,
  })
  .superRefine((v, ctx) => {
    if (v.transport === 'http' && !/^https?:\/\/[^\s/]+/.test(v.url)) ctx.addIssue({ code: 'custom', path: ['url'], message: 'Enter the server’s Streamable HTTP URL, e.g. https://mcp.example.com/mcp.' });
    if (v.transport === 'stdio' && !v.command) ctx.addIssue({ code: 'custom', path: ['command'], message: 'Enter the command that starts the server, e.g. npx.' });
  });

export type RegisterUpstreamInput = z.infer<typeof registerUpstreamSchema>;

export const upstreamIdSchema = z.object({ upstreamId: z.string().min(1) });

export const replaceCredentialsSchema = z.object({
  upstreamId: z.string().min(1),
  secretHeaders: keyValueLines(':', 'header'),
  secretEnv: keyValueLines('=', 'variable'),
});

/**
 * A checkbox: a ticked box posts `on`, a clear one posts nothing (false). Plain-object callers
 * may pass a boolean. Anything else is refused rather than read as either.
 */
const checkbox = z
  .union([z.boolean(), z.literal('on')], { message: 'Tick the box or leave it clear.' })
  .optional()
  .transform((v) => v === true || v === 'on');

/** The per-server relay settings (gateway/mcp/store.ts `UpstreamSessionConfig`). */
export const upstreamSettingsSchema = z.object({
  upstreamId: z.string({ message: 'Choose a server: reload the page.' }).min(1, 'Choose a server: reload the page.'),
  shared: checkbox,
  allowSampling: checkbox,
  allowElicitation: checkbox,
});

export type UpstreamSettingsInput = z.infer<typeof upstreamSettingsSchema>;
