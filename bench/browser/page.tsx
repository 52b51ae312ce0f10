/**
 * The frame → DOM page: 100 components subscribed to the balance through one contender
 * (`?contender=`), a WebSocket to the bench server, and the probe that times each frame from
 * its MessageEvent to the moment all 100 components show the new number.
 */
import { createRoot } from 'react-dom/client';
import { contenders } from './page-contenders.js';
import { installProbe } from './probe.js';

const params = new URLSearchParams(location.search);
const name = params.get('contender') ?? 'balance-sync';
const count = Number(params.get('subscribers') ?? 100);
const container = document.getElementById('root') as HTMLElement;

installProbe(container, count);
const App = contenders[name];
if (App === undefined) throw new Error(`unknown contender ${name}`);
createRoot(container).render(<App subscribers={count} />);
