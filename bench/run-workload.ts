/**
 * Runs one contender through one workload in simulated time and returns its figures.
 * Each tab loads its own copy of the contender bundle; the tabs share one browser profile
 * (localStorage, IndexedDB) and one BroadcastChannel/Web Locks bus.
 */
import { pathToFileURL } from 'node:url';
import type { MountApp, MountedApp } from './contenders/contract.js';
import { computeFigures, type Figures } from './report/figures.js';
import { installSimClock } from './sim/clock.js';
import { createTab, resetBrowserStorage, type SimTab } from './sim/dom.js';
import { createRecorder } from './sim/recorder.js';
import { ScriptedServer } from './sim/scripted-server.js';
import type { SimSocket } from './sim/sim-socket.js';
import { createTabBus } from './sim/tab-bus.js';
import type { Workload } from './workloads/workload.js';

let loads = 0;

async function loadPerTab(bundle: string): Promise<MountApp> {
  const module = (await import(`${pathToFileURL(bundle).href}?tab=${++loads}`)) as {
    mountApp: MountApp;
  };
  return module.mountApp;
}

interface OpenTab {
  tab: SimTab;
  socket: SimSocket;
  app: MountedApp;
}

export async function runWorkload(workload: Workload, bundle: string): Promise<Figures> {
  resetBrowserStorage();
  const clock = installSimClock(workload.start);
  try {
    const server = new ScriptedServer(workload.server);
    const bus = createTabBus();
    const recorder = createRecorder(clock.now);
    const open: OpenTab[] = [];
    let userId = workload.firstUser;
    recorder.user(userId);
    server.begin(clock.now);

    const toFront = (index: number | null) => {
      for (const { tab } of open) if (tab.index !== index) tab.setVisible(false);
      const chosen = open.find(({ tab }) => tab.index === index);
      chosen?.tab.focus();
      recorder.front(index);
    };

    for (const action of [...workload.actions].sort((a, b) => a.at - b.at)) {
      await clock.advanceTo(action.at);
      if (action.type === 'open') {
        const tab = createTab(action.tab, true);
        const socket = server.openSocket(userId);
        const mountApp = await loadPerTab(bundle);
        const app = mountApp(
          {
            tab,
            subscribers: workload.subscribers,
            fetchBalance: (id, signal) => server.fetchBalance(id, clock.now(), signal),
            socket,
            BroadcastChannel: bus.BroadcastChannel,
            locks: bus.locks,
            Shown: recorder.shownFor(action.tab),
          },
          userId,
        );
        open.push({ tab, socket, app });
        toFront(action.tab);
      } else if (action.type === 'leave') {
        for (const { tab } of open) tab.setVisible(false);
        recorder.front(null);
      } else if (action.type === 'focus') {
        toFront(action.tab);
      } else {
        userId = action.userId;
        recorder.user(userId);
        for (const { socket } of open) socket.userId = userId;
        for (const { app } of open) app.setUser(userId);
      }
    }
    await clock.advanceTo(workload.start + workload.durationMs);
    const requests = server.requests;
    const figures = computeFigures(recorder.recording, server, {
      start: workload.start,
      end: workload.start + workload.durationMs,
      requests,
      lateResponses: server.lateResponses,
      subscribers: workload.subscribers * workload.tabs,
    });
    for (const { app, socket, tab } of open) {
      app.unmount();
      server.closeSocket(socket);
      tab.close();
    }
    await clock.advanceBy(60_000);
    return figures;
  } finally {
    clock.uninstall();
  }
}
