import { Wallet } from './wallet';

// A server component: the wallet is rendered to HTML on the server, then hydrated.
export default function Page() {
  return (
    <main>
      <h1>Wallet</h1>
      <Wallet />
    </main>
  );
}
