/** localStorage that never throws: storage is blocked in sandboxed iframes and some privacy modes. */

export const TOKEN_KEY = 'parley.session';
export const LANG_KEY = 'parley.lang';

export const storage = {
  get(key: string): string | null {
    try {
      return localStorage.getItem(key);
    } catch {
      return null;
    }
  },
  set(key: string, value: string | null): void {
    try {
      if (value == null) localStorage.removeItem(key);
      else localStorage.setItem(key, value);
    } catch {
      // storage blocked: the session simply lasts for this page view
    }
  },
};
