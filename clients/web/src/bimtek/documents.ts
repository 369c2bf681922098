// The four documents a Bimtek produces, downloaded from the server's export route
// (GET /api/masterplans/{id}/export?document=…&format=pdf|html&lang=…, docs/documents.md)
// with the editor's Bearer token, at the version the editor shows (history or live).
import type { Lang } from '../i18n';

export type DocumentKind = 'buku1' | 'buku2' | 'ringkasan' | 'quickwin';
export const DOCUMENTS: DocumentKind[] = ['buku1', 'buku2', 'ringkasan', 'quickwin'];
export type DocumentFormat = 'pdf' | 'html';

export interface DownloadRequest {
  masterplan: string;
  document: DocumentKind;
  format: DocumentFormat;
  lang: Lang;
  token: string;
  /** A past version (the history slider); undefined: the latest. */
  at?: number;
}

export type DownloadResult = { ok: true; fileName: string; bytes: number } | { ok: false; status: number; message: string };

export function exportUrl(r: Omit<DownloadRequest, 'token'>): string {
  const q = new URLSearchParams({ document: r.document, format: r.format, lang: r.lang });
  if (r.at !== undefined) q.set('at', String(r.at));
  return `/api/masterplans/${encodeURIComponent(r.masterplan)}/export?${q.toString()}`;
}

/** The file name the server gave (Content-Disposition), or one of our own. */
function fileNameOf(response: Response, r: DownloadRequest): string {
  const header = response.headers.get('content-disposition') ?? '';
  const match = /filename="([^"]+)"/.exec(header);
  return match ? match[1] : `${r.document}-${r.masterplan}.${r.format}`;
}

/** Fetches the document and hands it to the browser as a download. */
export async function downloadDocument(r: DownloadRequest): Promise<DownloadResult> {
  let response: Response;
  try {
    response = await fetch(exportUrl(r), { headers: { authorization: `Bearer ${r.token}` } });
  } catch (e) {
    return { ok: false, status: 0, message: String(e) };
  }
  if (!response.ok) {
    let message = response.statusText;
    try {
      const body = (await response.json()) as { message?: string };
      if (body.message) message = body.message;
    } catch {
      // not JSON: keep the status text
    }
    return { ok: false, status: response.status, message };
  }
  const blob = await response.blob();
  const fileName = fileNameOf(response, r);
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.style.display = 'none';
  document.body.appendChild(link);
  link.click();
  link.remove();
  // Give the browser time to start the download before the URL goes.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return { ok: true, fileName, bytes: blob.size };
}
