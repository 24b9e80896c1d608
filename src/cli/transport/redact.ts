/** What --debug may print: never credentials, secrets or the Authorization header. */
const SECRET_KEY = /secret|password|sessiontoken|session_token|authorization|x-amz-security-token|signature/i;

export function redactHeaders(h: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(h).map(([k, v]) => [k, SECRET_KEY.test(k) ? '[redacted]' : v]));
}

export function redactJson(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(redactJson);
  if (v && typeof v === 'object') {
    return Object.fromEntries(
      Object.entries(v).map(([k, x]) => [k, SECRET_KEY.test(k) ? '[redacted]' : redactJson(x)]),
    );
  }
  return v;
}

export function redactBody(text: string): string {
  try {
    return JSON.stringify(redactJson(JSON.parse(text)));
  } catch {
    return text.replace(/("?[A-Za-z_]*secret[A-Za-z_]*"?\s*[:=]\s*)"?[^",}\s]+"?/gi, '$1[redacted]');
  }
}
