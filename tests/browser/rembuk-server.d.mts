// Types of rembuk-server.mjs for the TypeScript tests of clients/js.
export declare const repoRoot: string;
export declare const padangExample: string;
export declare const padangPluginsExample: string;
export interface RunningRembuk {
  bin: string;
  data: string;
  port: number;
  base: string;
  wsUrl: string;
  output: string[];
  token(user: string, roles: string | string[], options?: { opd?: string; masterplan?: string; ttl?: string }): Promise<string>;
  invite(role: string, options?: { opd?: string; masterplan?: string; expires?: string }): Promise<string>;
  stop(): Promise<void>;
}
export declare function startRembuk(options?: {
  bin?: string;
  importFile?: string | null;
  importFiles?: string[];
  plugins?: boolean;
  staticDir?: string | null;
  extraArgs?: string[];
}): Promise<RunningRembuk>;
