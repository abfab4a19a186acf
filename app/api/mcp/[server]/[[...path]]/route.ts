import { gatewayRuntime } from '@/lib/gateway-runtime';

// The MCP gateway: a thin mount of the gateway core (Request -> Response). It authenticates
// callers itself (bearer API token or the post-quantum channel), so the console's session
// and proxy do not apply here.
export const dynamic = 'force-dynamic';

async function handle(request: Request, { params }: { params: Promise<{ server: string }> }): Promise<Response> {
  const { gateway } = await gatewayRuntime();
  return gateway.handle(request, (await params).server);
}

export { handle as GET, handle as POST, handle as DELETE };
