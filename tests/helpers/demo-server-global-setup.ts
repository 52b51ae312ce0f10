/**
 * globalSetup of the browser project: one reference server for the run, its URL provided to
 * the tests (`inject('demoServerUrl')`), so real Chromium can talk to a real server (CORS is
 * open on it). Pings every 100 ms keep heartbeat tests short.
 */
import type { TestProject } from 'vitest/node';
import { startTestDemoServer } from './demo-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    demoServerUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await startTestDemoServer({ heartbeatMs: 100 });
  project.provide('demoServerUrl', server.url);
  return () => server.close();
}
