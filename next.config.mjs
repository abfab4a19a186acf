/** @type {import('next').NextConfig} */
const nextConfig = {
  // Native addons and WebAssembly databases load their files from their own package folders.
  serverExternalPackages: ['@electric-sql/pglite', 'pglite-prisma-adapter', '@node-rs/argon2', 'pg', '@prisma/adapter-pg'],
  poweredByHeader: false,
  // Type checking is its own step of `npm test` (tsc over the whole repository), so a build
  // is not the place where it first fails.
  typescript: { ignoreBuildErrors: true },
};

export default nextConfig;
