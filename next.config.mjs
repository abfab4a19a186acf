/** @type {import('next').NextConfig} */
const nextConfig = {
  // Native addons and WebAssembly databases load their files from their own package folders.
  serverExternalPackages: ['@electric-sql/pglite', 'pglite-prisma-adapter', '@node-rs/argon2', 'pg', '@prisma/adapter-pg'],
  poweredByHeader: false,
  // A second build folder lets two checkouts' test runs build side by side (PQGATE_NEXT_DIST_DIR).
  distDir: process.env.PQGATE_NEXT_DIST_DIR || '.next',
  // Type checking is its own step of `npm test` (tsc over the whole repository), so a build
  // is not the place where it first fails.
  typescript: { ignoreBuildErrors: true },
};

export default nextConfig;
