// The reference server's URL, fixed at build time (rewrites are compiled into the build).
const api = process.env.BALANCE_API_URL ?? 'http://127.0.0.1:4000';

/** @type {import('next').NextConfig} */
export default {
  // This app is copied to a folder of its own; never guess a workspace root above it.
  turbopack: { root: import.meta.dirname },
  outputFileTracingRoot: import.meta.dirname,
  // Same-origin requests from the browser: Next.js forwards them to the reference server.
  async rewrites() {
    return [
      { source: '/api/:path*', destination: `${api}/api/:path*` },
      { source: '/ws', destination: `${api}/ws` },
    ];
  },
};
