/** A scripted console user: signs in, keeps the session cookie and the CSRF token. */
export class ConsoleClient {
  cookie = '';
  csrf = '';
  constructor(readonly base: string) {}

  static async login(base: string, email: string, password: string): Promise<ConsoleClient> {
    const client = new ConsoleClient(base);
    const res = await client.call('POST', '/login', { email, password });
    if (res.status !== 200) throw new Error(`login failed: ${res.status} ${JSON.stringify(res.body)}`);
    return client;
  }

  /** Calls /console/api; `csrf: false` leaves the header out, a string sends that token. */
  async call(method: string, path: string, body?: unknown, options: { csrf?: string | false } = {}): Promise<{ status: number; body: any }> {
    const csrf = options.csrf === undefined ? this.csrf : options.csrf;
    const res = await fetch(`${this.base}/console/api${path}`, {
      method,
      headers: {
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(this.cookie ? { cookie: this.cookie } : {}),
        ...(csrf ? { 'x-csrf-token': csrf } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const setCookie = res.headers.get('set-cookie');
    if (setCookie) this.cookie = setCookie.split(';')[0] ?? '';
    const json = await res.json().catch(() => ({}));
    if (json?.csrfToken) this.csrf = json.csrfToken;
    return { status: res.status, body: json };
  }
}
