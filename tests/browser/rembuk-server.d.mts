// Types of rembuk-server.mjs for the TypeScript tests of clients/js.
export declare const repoRoot: string;
export declare const padangExample: string;
export interface RunningRembuk {
  bin: string;
  data: string;
  port: number;
  base: string;
  wsUrl: string;
  output: string[];
  token(user: string, roles: string | string[], options?: { opd?: string; masterplan?: string; ttl?: string }): Promise<string>;
  stop(): Promise<void>;
}
export declare function startRembuk(options?: {
  bin?: string;
  importFile?: string | null;
  staticDir?: string | null;
  extraArgs?: string[];
}): Promise<RunningRembuk>;
