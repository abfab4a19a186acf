/** The MCP gateway core: public surface for the app's route handlers and the CLI. */
export { createMcpGateway, type McpGateway, type McpGatewayDeps, type McpGatewayOptions } from './gateway';
export type { ToolListMode } from './relay-session';
export type { UpstreamStatus } from './upstream-pool';
export { MCP_ROUTES } from './channel-envelope';
export type { Caller, GatewayStore, ListedTool, TrafficEvent, UpstreamConfig } from './store';
export type { SourcedChannelEvent, SourcedEventSink } from './source-guard';
export type { TrafficJournal } from './traffic-recorder';
