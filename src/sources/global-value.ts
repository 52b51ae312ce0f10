/**
 * A global by name, read when called (never at import, so SSR and test doubles work), or
 * undefined when absent or when reading it throws (a sandboxed frame, a disabled feature).
 */
export function globalValue<T>(name: string): T | undefined {
  try {
    return (globalThis as Record<string, unknown>)[name] as T | undefined;
  } catch {
    return undefined;
  }
}
