// Calls to the newsalert API on this origin. The key lives in sessionStorage only: gone when the tab closes, never
// in a URL (it goes in the Authorization header), never logged.
const KEY_NAME = 'newsalert.apiKey';

export interface Problem {
  title?: string;
  detail?: string;
  status?: number;
  errors?: { path: string; message: string }[];
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem,
  ) {
    super(problem.detail ?? problem.title ?? `HTTP ${status}`);
    this.name = 'ApiError';
  }

  /** One line per field error, or the detail. */
  describe(): string {
    const fields = (this.problem.errors ?? []).map((e) => `${e.path}: ${e.message}`);
    return fields.length > 0 ? `${this.message} — ${fields.join('; ')}` : this.message;
  }
}

export function storedKey(): string | undefined {
  return sessionStorage.getItem(KEY_NAME) ?? undefined;
}

export function storeKey(key: string): void {
  sessionStorage.setItem(KEY_NAME, key);
}

export function forgetKey(): void {
  sessionStorage.removeItem(KEY_NAME);
}

let onSignedOut: () => void = () => {};
export function whenSignedOut(handler: () => void): void {
  onSignedOut = handler;
}

export interface Answer<T> {
  status: number;
  body: T;
  headers: Headers;
}

export async function call<T = unknown>(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<Answer<T>> {
  const key = storedKey();
  const headers: Record<string, string> = { accept: 'application/json, application/problem+json' };
  if (key !== undefined) headers.authorization = `Bearer ${key}`;
  if (body !== undefined) headers['content-type'] = contentType;
  const response = await fetch(path, {
    method,
    headers,
    credentials: 'omit',
    cache: 'no-store',
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  let parsed: unknown = undefined;
  if (text !== '') {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = text;
    }
  }
  if (!response.ok) {
    if (response.status === 401 && key !== undefined) {
      forgetKey();
      onSignedOut();
    }
    const problem = parsed !== null && typeof parsed === 'object' ? (parsed as Problem) : { detail: `HTTP ${response.status}` };
    throw new ApiError(response.status, problem);
  }
  return { status: response.status, body: parsed as T, headers: response.headers };
}

/** Every item of a paged list (bounded: a console shows a screenful, not a table dump). */
export async function listAll<T>(path: string, field: string, max = 1000): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const { body } = await call<Record<string, unknown>>('GET', cursor === undefined ? path : `${path}${sep}cursor=${encodeURIComponent(cursor)}`);
    items.push(...((body[field] as T[] | undefined) ?? []));
    cursor = typeof body.nextCursor === 'string' ? body.nextCursor : undefined;
  } while (cursor !== undefined && items.length < max);
  return items;
}
