/**
 * Runs API Extractor over the built declarations (`dist/**\/*.d.ts`) of each entry point in
 * package.json `exports` and loads the resulting doc models. API Extractor bundles its own
 * TypeScript (the repo's TS 7 has no JS compiler API), so this works from `dist/` alone.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CompilerState,
  Extractor,
  ExtractorConfig,
  ExtractorLogLevel,
  type ExtractorMessage,
  type IConfigFile,
} from '@microsoft/api-extractor';
import { ApiModel, type ApiPackage } from '@microsoft/api-extractor-model';
import { TSDocConfigFile } from '@microsoft/tsdoc-config';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

export interface EntryPoint {
  /** The import specifier, e.g. `balance-sync/react`. */
  name: string;
  /** The declaration file, relative to the repo root, e.g. `dist/src/react/index.d.ts`. */
  types: string;
  /** The page's file name under docs/api, e.g. `balance-sync-react.md`. */
  page: string;
}

export interface ExtractedEntry extends EntryPoint {
  apiPackage: ApiPackage;
  /** The doc model as API Extractor wrote it (`.api.json`), for tests that load a changed copy. */
  apiJson: string;
}

/** A TSDoc or API Extractor finding, e.g. a malformed tag or an export that is not public. */
export interface ExtractorNote {
  entry: string;
  id: string;
  text: string;
  /** `dist/...d.ts:line`, or '' when the finding has no location. */
  where: string;
}

export function entryPoints(root = repoRoot): EntryPoint[] {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    name: string;
    exports: Record<string, string | { types?: string }>;
  };
  return Object.entries(pkg.exports).flatMap(([key, target]) => {
    if (typeof target === 'string' || target.types === undefined) return [];
    const name = key === '.' ? pkg.name : `${pkg.name}/${key.slice(2)}`;
    return [
      { name, types: target.types.replace(/^\.\//, ''), page: `${name.replace('/', '-')}.md` },
    ];
  });
}

const compilerOptions = {
  target: 'ES2022',
  module: 'ESNext',
  moduleResolution: 'Bundler',
  lib: ['ES2022', 'DOM', 'DOM.Iterable'],
  strict: true,
  skipLibCheck: true,
  jsx: 'react-jsx',
  types: ['node'],
};

// Noise for a single-package library that does not use release tags.
const ignoredMessages = new Set(['ae-missing-release-tag', 'console-preamble']);

function configFor(root: string, entry: EntryPoint, apiJsonFilePath: string, files: string[]) {
  const configObject: IConfigFile = {
    projectFolder: root,
    mainEntryPointFilePath: join(root, entry.types),
    compiler: { overrideTsconfig: { compilerOptions, files } },
    apiReport: { enabled: false, reportFileName: 'api' },
    docModel: { enabled: true, apiJsonFilePath },
    dtsRollup: { enabled: false },
    tsdocMetadata: { enabled: false },
    messages: {
      compilerMessageReporting: { default: { logLevel: ExtractorLogLevel.Error } },
      extractorMessageReporting: { default: { logLevel: ExtractorLogLevel.Warning } },
      tsdocMessageReporting: { default: { logLevel: ExtractorLogLevel.Warning } },
    },
  };
  return ExtractorConfig.prepare({
    configObject,
    configObjectFullPath: undefined,
    packageJsonFullPath: join(root, 'package.json'),
    tsdocConfigFile: TSDocConfigFile.loadFile(
      fileURLToPath(new URL('tsdoc.json', import.meta.url)),
    ),
  });
}

/** Extracts every entry point's doc model in one TypeScript program (run `npm run build` first). */
export function extractApi(root = repoRoot): { entries: ExtractedEntry[]; notes: ExtractorNote[] } {
  const entries = entryPoints(root);
  const files = entries.map((entry) => join(root, entry.types));
  const workDir = mkdtempSync(join(tmpdir(), 'balance-sync-api-'));
  const notes: ExtractorNote[] = [];
  const errors: string[] = [];
  let compilerState: CompilerState | undefined;
  try {
    const extracted = entries.map((entry, index) => {
      const apiJson = join(workDir, `${index}.api.json`);
      const config = configFor(root, entry, apiJson, files);
      compilerState ??= CompilerState.create(config, { additionalEntryPoints: files });
      Extractor.invoke(config, {
        localBuild: true,
        compilerState,
        messageCallback: (message: ExtractorMessage) => {
          message.handled = true;
          if (ignoredMessages.has(message.messageId)) return;
          if (message.logLevel === ExtractorLogLevel.None) return;
          if (message.logLevel === ExtractorLogLevel.Error)
            errors.push(message.formatMessageWithLocation(root));
          else if (message.category !== 'console') {
            const where = message.sourceFilePath
              ? `${message.sourceFilePath.slice(root.length).replace(/^\//, '')}:${message.sourceFileLine ?? 0}`
              : '';
            notes.push({ entry: entry.name, id: message.messageId, text: message.text, where });
          }
        },
      });
      return {
        ...entry,
        apiPackage: new ApiModel().loadPackage(apiJson),
        apiJson: readFileSync(apiJson, 'utf8'),
      };
    });
    if (errors.length > 0) throw new Error(`API Extractor failed:\n${errors.join('\n')}`);
    return { entries: extracted, notes };
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}
