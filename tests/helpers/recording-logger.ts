import type { BalanceLogger } from '../../src/types.js';

export interface LogLine {
  level: keyof BalanceLogger;
  message: string;
  details: Record<string, unknown> | undefined;
}

export function recordingLogger(): BalanceLogger & { lines: LogLine[]; messages(): string[] } {
  const lines: LogLine[] = [];
  const at =
    (level: keyof BalanceLogger) =>
    (message: string, details?: Record<string, unknown>): void => {
      lines.push({ level, message, details });
    };
  return {
    lines,
    messages: () => lines.map((line) => line.message),
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
  };
}
