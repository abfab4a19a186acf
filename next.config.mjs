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
  // Every server action body (forms, the policy file upload) is cut off at this size while it is
  // read, with a 413; the policy import schema then caps the file itself at 200 kB
  // (docs/security.md, "Bounded input"). 1 MB is Next.js's default, stated here so it is a promise.
  experimental: { serverActions: { bodySizeLimit: '1mb' } },
};

export default nextConfig;
